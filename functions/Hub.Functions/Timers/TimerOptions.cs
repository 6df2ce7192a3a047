using Hub.Core.Configuration;
using NCrontab;

namespace Hub.Functions.Timers;

/// <summary>
/// The schedules of the timer functions, in the Functions host's six-field NCRONTAB format
/// (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, UTC). The function definitions read the same app
/// settings (<c>%TIMER_SCHEDULE_CULL_IDLE%</c>), so the host and the standalone scheduler agree. Their names are flat
/// because the host resolves <c>%name%</c> through configuration, where <c>Timers__X</c> would be the key
/// <c>Timers:X</c> and never match.
/// </summary>
public sealed class TimerOptions : ISettingsSection
{
    public const string CullIdleKey = "TIMER_SCHEDULE_CULL_IDLE";
    public const string ReconcileKey = "TIMER_SCHEDULE_RECONCILE";
    public const string PrewarmKey = "TIMER_SCHEDULE_PREWARM";

    public static string Section => "Timers";

    /// <summary>When the idle culler runs. Default: every 5 minutes.</summary>
    [SettingKey(CullIdleKey, Formerly = "Timers__CullIdleSchedule")]
    public string CullIdleSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>When the reconcile step runs over every server. Default: every minute.</summary>
    [SettingKey(ReconcileKey, Formerly = "Timers__ReconcileSchedule")]
    public string ReconcileSchedule { get; set; } = "0 * * * * *";

    /// <summary>When lecture pre-warm looks for a lecture about to start (see <c>Prewarm__Lectures</c>). Default: every minute.</summary>
    [SettingKey(PrewarmKey, Formerly = "Timers__PrewarmSchedule")]
    public string PrewarmSchedule { get; set; } = "30 * * * * *";

    /// <summary>Runs the timers in-process when the app runs by itself. The Functions host triggers them in Azure regardless.</summary>
    public bool RunStandalone { get; set; } = true;

    public void Validate(SettingsProblems problems)
    {
        Check(problems, CullIdleKey, CullIdleSchedule);
        Check(problems, ReconcileKey, ReconcileSchedule);
        Check(problems, PrewarmKey, PrewarmSchedule);
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
