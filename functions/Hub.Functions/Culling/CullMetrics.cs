using System.Globalization;
using System.Text;
using Hub.Functions.Metrics;

namespace Hub.Functions.Culling;

/// <summary>
/// The culler's and pre-warm's Prometheus series on <c>/hub/metrics</c>: counters over the instance's life and gauges
/// of the last cull run, so an operator sees what the last run found without reading logs.
/// </summary>
public sealed class CullMetrics : IMetricsSource
{
    private readonly Lock _gate = new();
    private long _runs, _culledIdle, _culledMaxAge, _keptBusy, _probeFailures, _stopFailures, _usersRemoved, _prewarmStarted, _prewarmThrottled;
    private CullRunSummary? _last;
    private DateTimeOffset _lastAt;

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

    public void Write(StringBuilder text)
    {
        lock (_gate)
        {
            Counter(text, "cull_runs_total", "Runs of the idle culler", _runs);
            text.Append(CultureInfo.InvariantCulture,
                $"# HELP {HubMetrics.Prefix}culled_servers_total Servers the culler stopped\n# TYPE {HubMetrics.Prefix}culled_servers_total counter\n" +
                $"{HubMetrics.Prefix}culled_servers_total{{reason=\"idle\"}} {_culledIdle}\n{HubMetrics.Prefix}culled_servers_total{{reason=\"max_age\"}} {_culledMaxAge}\n");
            Counter(text, "cull_kept_busy_total", "Idle servers kept because a kernel was executing", _keptBusy);
            Counter(text, "cull_probe_failures_total", "Servers that did not answer the culler's /api/status", _probeFailures);
            Counter(text, "cull_stop_failures_total", "Stops the culler asked for that failed", _stopFailures);
            Counter(text, "culled_users_total", "Long-inactive accounts the culler removed (files kept)", _usersRemoved);
            Counter(text, "prewarm_started_servers_total", "Servers started ahead of a lecture", _prewarmStarted);
            Counter(text, "prewarm_throttled_total", "Pre-warm starts refused by a limit", _prewarmThrottled);
            if (_last is { } last)
            {
                Gauge(text, "cull_last_run_timestamp_seconds", "When the last cull run ended (Unix time)", _lastAt.ToUnixTimeMilliseconds() / 1000.0);
                Gauge(text, "cull_last_run_duration_seconds", "How long the last cull run took", last.Elapsed.TotalSeconds);
                Gauge(text, "cull_last_run_active_servers", "Active servers the last cull run read", last.Active);
                Gauge(text, "cull_last_run_culled_servers", "Servers the last cull run stopped", last.Culled);
            }
        }
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {HubMetrics.Prefix}{name} {help}\n# TYPE {HubMetrics.Prefix}{name} counter\n{HubMetrics.Prefix}{name} {value}\n");

    private static void Gauge(StringBuilder text, string name, string help, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {HubMetrics.Prefix}{name} {help}\n# TYPE {HubMetrics.Prefix}{name} gauge\n{HubMetrics.Prefix}{name} {value}\n");
}
