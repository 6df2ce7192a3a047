using Hub.Core.Configuration;

namespace Hub.Core.Prewarm;

/// <summary>Lecture pre-warm: start a class's servers shortly before the lecture, so nobody waits at the start.</summary>
public sealed class PrewarmOptions : ISettingsSection
{
    public static string Section => "Prewarm";

    /// <summary>
    /// The lectures, separated by <c>;</c>. Each is <c>days HH:mm who</c>: days as <c>mon,wed</c> (or <c>daily</c>,
    /// <c>weekdays</c>), a 24-hour start time in <see cref="TimeZone"/>, and <c>group:NAME</c> or
    /// <c>users:NAME,NAME</c>. Example: <c>mon,wed 09:00 group:course-101; fri 14:00 users:alice,bob</c>.
    /// Empty: no pre-warm.
    /// </summary>
    public string Lectures { get; set; } = "";

    /// <summary>The time zone the lecture times are in (IANA id, e.g. <c>Europe/Berlin</c>).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How long before a lecture its servers are started.</summary>
    public TimeSpan LeadTime { get; set; } = TimeSpan.FromMinutes(10);

    public void Validate(SettingsProblems problems)
    {
        LectureSchedule.Parse(Lectures, problems);
        if (!TryFindTimeZone(TimeZone, out _))
        {
            problems.Add("Prewarm__TimeZone", $"is not a known time zone id (such as UTC or Europe/Berlin): '{TimeZone}'");
        }
        if (LeadTime < TimeSpan.FromMinutes(1) || LeadTime > TimeSpan.FromHours(2))
        {
            problems.Add("Prewarm__LeadTime", $"must be from 1 minute to 2 hours, not {LeadTime}");
        }
    }

    public static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
