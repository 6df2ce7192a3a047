using Hub.Core.Configuration;
using NCrontab;

namespace Hub.Functions.Timers;

/// <summary>
/// The schedules of the timer functions, in the Functions host's six-field NCRONTAB format
/// (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, UTC). The function definitions read the same app
/// settings (<c>%Timers__CullIdleSchedule%</c>), so the host and the standalone scheduler agree.
/// </summary>
public sealed class TimerOptions : ISettingsSection
{
    public static string Section => "Timers";

    /// <summary>When the idle culler runs. Default: every 5 minutes.</summary>
    public string CullIdleSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>When the reconcile step runs over every server. Default: every minute.</summary>
    public string ReconcileSchedule { get; set; } = "0 * * * * *";

    /// <summary>When lecture pre-warm looks for a lecture about to start (see <c>Prewarm__Lectures</c>). Default: every minute.</summary>
    public string PrewarmSchedule { get; set; } = "30 * * * * *";

    /// <summary>Runs the timers in-process when the app runs by itself. The Functions host triggers them in Azure regardless.</summary>
    public bool RunStandalone { get; set; } = true;

    public void Validate(SettingsProblems problems)
    {
        Check(problems, "Timers__CullIdleSchedule", CullIdleSchedule);
        Check(problems, "Timers__ReconcileSchedule", ReconcileSchedule);
        Check(problems, "Timers__PrewarmSchedule", PrewarmSchedule);
    }

    /// <summary>Parses a six-field NCRONTAB expression.</summary>
    public static CrontabSchedule? TryParse(string expression) =>
        CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });

    private static void Check(SettingsProblems problems, string key, string expression)
    {
        if (TryParse(expression) is null)
        {
            problems.Add(key, $"must be a six-field NCRONTAB schedule such as '0 */5 * * * *' (second minute hour day month day-of-week), not '{expression}'");
        }
    }
}
