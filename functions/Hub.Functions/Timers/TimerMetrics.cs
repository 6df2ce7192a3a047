using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Hub.Functions.Metrics;

namespace Hub.Functions.Timers;

/// <summary>
/// One gauge pair for every timer job on <c>/hub/metrics</c>, labelled <c>timer</c> with the function's name
/// (<c>cull-idle</c>, <c>reconcile</c>, <c>prewarm</c>): <c>jupyterhub_timer_last_run_timestamp_seconds</c>, when this
/// instance last completed a run (a skipped or failed run does not count), and <c>jupyterhub_timer_period_seconds</c>,
/// the longest gap between two occurrences of the job's schedule, so a check from outside (<c>infra/verify.sh</c>)
/// knows how old a last run may be without reading app settings. The last run is per instance: each instance only
/// knows the runs it made itself.
/// </summary>
public sealed class TimerMetrics
{
    /// <summary>How many occurrences of a schedule are looked at for its period: enough for every-second schedules to end quickly.</summary>
    private const int OccurrencesSampled = 500;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastRuns = new(StringComparer.OrdinalIgnoreCase);

    public TimerMetrics(IMeterFactory meters, IEnumerable<ITimerJob> jobs)
    {
        var meter = meters.Create(HubMetrics.MeterName);
        // Worked out on the first scrape: a schedule's period takes hundreds of occurrences to find.
        var periods = new Lazy<(string Name, TimeSpan? Period)[]>(
            () => [.. jobs.Select(j => (j.Name, Period: PeriodOf(j.Schedule))).Where(p => p.Period is not null)]);
        meter.CreateObservableGauge(HubMetrics.Prefix + "timer_last_run_timestamp_seconds",
            () => _lastRuns.Select(r => new Measurement<double>(r.Value.ToUnixTimeMilliseconds() / 1000.0, Timer(r.Key))).ToArray(),
            HubMetrics.Seconds, "When this instance last completed a run of the timer job (Unix time)");
        meter.CreateObservableGauge(HubMetrics.Prefix + "timer_period_seconds",
            () => periods.Value.Select(p => new Measurement<double>(p.Period!.Value.TotalSeconds, Timer(p.Name))).ToArray(),
            HubMetrics.Seconds, "The longest gap between two occurrences of the timer job's schedule");
    }

    /// <summary>A run of <paramref name="job"/> completed at <paramref name="at"/>.</summary>
    public void RunCompleted(string job, DateTimeOffset at) => _lastRuns[job] = at;

    /// <summary>
    /// The longest gap between consecutive occurrences of a six-field NCRONTAB schedule, over its next occurrences
    /// from a fixed Monday (so weekday schedules show their weekend gap); null when the schedule does not parse.
    /// </summary>
    public static TimeSpan? PeriodOf(string schedule)
    {
        if (TimerOptions.TryParse(schedule) is not { } crontab)
        {
            return null;
        }
        var from = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var occurrences = crontab.GetNextOccurrences(from, from.AddDays(15)).Take(OccurrencesSampled + 1).ToArray();
        if (occurrences.Length < 2)
        {
            return null;
        }
        return occurrences.Zip(occurrences.Skip(1), (a, b) => b - a).Max();
    }

    private static KeyValuePair<string, object?> Timer(string name) => new("timer", name);
}
