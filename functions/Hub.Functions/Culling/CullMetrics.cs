using System.Diagnostics.Metrics;
using Hub.Functions.Metrics;

namespace Hub.Functions.Culling;

/// <summary>
/// The culler's and pre-warm's instruments on <c>/hub/metrics</c>: counters over the instance's life and gauges of
/// the last cull run, so an operator sees what the last run found without reading logs. The counts are kept here and
/// observed on scrape, so every series exists (at 0) from the start, as Prometheus's <c>rate()</c> wants.
/// </summary>
public sealed class CullMetrics
{
    private readonly Lock _gate = new();
    private long _runs, _culledIdle, _culledMaxAge, _keptBusy, _probeFailures, _stopFailures, _usersRemoved, _prewarmStarted, _prewarmThrottled;
    private CullRunSummary? _last;
    private DateTimeOffset _lastAt;

    public CullMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(HubMetrics.MeterName);
        Counter(meter, "cull_runs_total", "Runs of the idle culler", () => _runs);
        meter.CreateObservableCounter(HubMetrics.Prefix + "culled_servers_total", ObserveCulled, description: "Servers the culler stopped");
        Counter(meter, "cull_kept_busy_total", "Idle servers kept because a kernel was executing", () => _keptBusy);
        Counter(meter, "cull_probe_failures_total", "Servers that did not answer the culler's /api/status", () => _probeFailures);
        Counter(meter, "cull_stop_failures_total", "Stops the culler asked for that failed", () => _stopFailures);
        Counter(meter, "culled_users_total", "Long-inactive accounts the culler removed (files kept)", () => _usersRemoved);
        Counter(meter, "prewarm_started_servers_total", "Servers started ahead of a lecture", () => _prewarmStarted);
        Counter(meter, "prewarm_throttled_total", "Pre-warm starts refused by a limit", () => _prewarmThrottled);
        // The last run's gauges appear once a run has ended.
        LastRunGauge(meter, "cull_last_run_timestamp_seconds", HubMetrics.Seconds, "When the last cull run ended (Unix time)", (_, at) => at.ToUnixTimeMilliseconds() / 1000.0);
        LastRunGauge(meter, "cull_last_run_duration_seconds", HubMetrics.Seconds, "How long the last cull run took", (last, _) => last.Elapsed.TotalSeconds);
        LastRunGauge(meter, "cull_last_run_active_servers", null, "Active servers the last cull run read", (last, _) => last.Active);
        LastRunGauge(meter, "cull_last_run_culled_servers", null, "Servers the last cull run stopped", (last, _) => last.Culled);
    }

    public void RunFinished(CullRunSummary summary, DateTimeOffset at)
    {
        lock (_gate)
        {
            _runs++;
            _culledIdle += summary.CulledIdle;
            _culledMaxAge += summary.CulledMaxAge;
            _keptBusy += summary.KeptBusy;
            _probeFailures += summary.ProbeFailures;
            _stopFailures += summary.StopFailures;
            _usersRemoved += summary.UsersRemoved;
            _last = summary;
            _lastAt = at;
        }
    }

    public void PrewarmFinished(int started, int throttled)
    {
        lock (_gate)
        {
            _prewarmStarted += started;
            _prewarmThrottled += throttled;
        }
    }

    private void Counter(Meter meter, string name, string description, Func<long> value) =>
        meter.CreateObservableCounter(HubMetrics.Prefix + name, () => { lock (_gate) { return value(); } }, description: description);

    private IEnumerable<Measurement<long>> ObserveCulled()
    {
        lock (_gate)
        {
            return [new(_culledIdle, new KeyValuePair<string, object?>("reason", "idle")), new(_culledMaxAge, new KeyValuePair<string, object?>("reason", "max_age"))];
        }
    }

    private void LastRunGauge(Meter meter, string name, string? unit, string description, Func<CullRunSummary, DateTimeOffset, double> value) =>
        meter.CreateObservableGauge(HubMetrics.Prefix + name, () =>
        {
            lock (_gate)
            {
                return _last is { } last ? [new Measurement<double>(value(last, _lastAt))] : Array.Empty<Measurement<double>>();
            }
        }, unit, description);
}
