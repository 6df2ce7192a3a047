using System.Globalization;
using Hub.Core.Configuration;

namespace Hub.Core.Prewarm;

/// <summary>Whose servers a lecture warms: every member of a group, or named users.</summary>
public sealed record LectureAudience(string? Group, IReadOnlyList<string> Users);

/// <summary>One recurring lecture.</summary>
public sealed record Lecture(IReadOnlySet<DayOfWeek> Days, TimeOnly Start, LectureAudience Audience, string Text);

/// <summary>One lecture on one day: when it starts, in UTC.</summary>
public sealed record LectureOccurrence(Lecture Lecture, DateTimeOffset StartsAt);

/// <summary>Parses <see cref="PrewarmOptions.Lectures"/> and finds the lectures whose pre-warm window is open.</summary>
public static class LectureSchedule
{
    private static readonly Dictionary<string, DayOfWeek[]> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = [DayOfWeek.Monday], ["monday"] = [DayOfWeek.Monday],
        ["tue"] = [DayOfWeek.Tuesday], ["tuesday"] = [DayOfWeek.Tuesday],
        ["wed"] = [DayOfWeek.Wednesday], ["wednesday"] = [DayOfWeek.Wednesday],
        ["thu"] = [DayOfWeek.Thursday], ["thursday"] = [DayOfWeek.Thursday],
        ["fri"] = [DayOfWeek.Friday], ["friday"] = [DayOfWeek.Friday],
        ["sat"] = [DayOfWeek.Saturday], ["saturday"] = [DayOfWeek.Saturday],
        ["sun"] = [DayOfWeek.Sunday], ["sunday"] = [DayOfWeek.Sunday],
        ["weekdays"] = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        ["daily"] = Enum.GetValues<DayOfWeek>(),
    };

    /// <summary>Parses every entry; each bad one adds a problem naming the entry and what is wrong with it.</summary>
    public static IReadOnlyList<Lecture> Parse(string text, SettingsProblems problems)
    {
        var lectures = new List<Lecture>();
        var entries = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < entries.Length; i++)
        {
            string entry = entries[i];
            string? problem = TryParseEntry(entry, out var lecture);
            if (problem is null)
            {
                lectures.Add(lecture!);
            }
            else
            {
                problems.Add("Prewarm__Lectures", $"entry {i + 1} ('{Shorten(entry)}'): {problem}");
            }
        }
        return lectures;
    }

    /// <summary>
    /// The lectures whose window is open at <paramref name="now"/>: they start within <paramref name="lead"/> from
    /// now (start − lead ≤ now &lt; start). Times are wall-clock times in <paramref name="zone"/>, so a lecture stays
    /// at 09:00 across daylight-saving changes.
    /// </summary>
    public static IReadOnlyList<LectureOccurrence> Due(IEnumerable<Lecture> lectures, DateTimeOffset now, TimeZoneInfo zone, TimeSpan lead)
    {
        var localToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var due = new List<LectureOccurrence>();
        foreach (var lecture in lectures)
        {
            // Today's and tomorrow's occurrence cover any window that crosses midnight.
            foreach (var date in new[] { localToday, localToday.AddDays(1) })
            {
                if (!lecture.Days.Contains(date.DayOfWeek))
                {
                    continue;
                }
                var startsAt = ToUtc(date.ToDateTime(lecture.Start), zone);
                if (startsAt - lead <= now && now < startsAt)
                {
                    due.Add(new LectureOccurrence(lecture, startsAt));
                }
            }
        }
        return due;
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        // A start time that does not exist (skipped by a spring-forward) is taken an hour later, as clocks show it.
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }

    private static string? TryParseEntry(string entry, out Lecture? lecture)
    {
        lecture = null;
        var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            return "expected three parts: days, a start time and who (for example 'mon,wed 09:00 group:course-101')";
        }

        var days = new HashSet<DayOfWeek>();
        foreach (var name in parts[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!DayNames.TryGetValue(name, out var named))
            {
                return $"'{Shorten(name)}' is not a day (use mon, tue, wed, thu, fri, sat, sun, weekdays or daily)";
            }
            days.UnionWith(named);
        }
        if (days.Count == 0)
        {
            return "no days given";
        }

        if (!TimeOnly.TryParseExact(parts[1], ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            return $"'{Shorten(parts[1])}' is not a time (HH:mm, 24-hour)";
        }

        string who = parts[2];
        LectureAudience audience;
        if (who.StartsWith("group:", StringComparison.OrdinalIgnoreCase) && who.Length > 6)
        {
            audience = new LectureAudience(who[6..], []);
        }
        else if (who.StartsWith("users:", StringComparison.OrdinalIgnoreCase) && who.Length > 6)
        {
            audience = new LectureAudience(null, who[6..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else
        {
            return $"'{Shorten(who)}' does not say who: use group:NAME or users:NAME,NAME";
        }

        lecture = new Lecture(days, start, audience, entry);
        return null;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
