using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Hub.Functions.Metrics;

/// <summary>
/// The control plane's Prometheus metrics, named as JupyterHub names them where the meaning matches
/// (<c>jupyterhub_request_duration_seconds</c>, <c>jupyterhub_login_duration_seconds</c>, …) plus explicit
/// throttling counters. Counts are per instance, as Prometheus expects from each scraped target.
/// </summary>
public sealed class HubMetrics
{
    public const string Prefix = "jupyterhub_";

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly ConcurrentDictionary<string, Histogram> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Histogram> _logins = new(StringComparer.Ordinal);
    private readonly Histogram _logouts = new(DurationBuckets);
    private long _loginsThrottled;
    private long _spawnsThrottled;

    public void RequestFinished(string method, string handler, int code, TimeSpan duration) =>
        _requests.GetOrAdd($"code=\"{code.ToString(CultureInfo.InvariantCulture)}\",handler=\"{Escape(handler)}\",method=\"{Escape(method)}\"", _ => new Histogram(DurationBuckets))
            .Observe(duration.TotalSeconds);

    /// <summary>A login ended; <paramref name="status"/> is <c>success</c> or <c>failure</c>.</summary>
    public void LoginFinished(string status, TimeSpan duration) =>
        _logins.GetOrAdd($"status=\"{status}\"", _ => new Histogram(DurationBuckets)).Observe(duration.TotalSeconds);

    public void LogoutFinished(TimeSpan duration) => _logouts.Observe(duration.TotalSeconds);

    public void LoginThrottled() => Interlocked.Increment(ref _loginsThrottled);

    public void SpawnThrottled() => Interlocked.Increment(ref _spawnsThrottled);

    /// <summary>The text exposition format (version 0.0.4), with the gauges the caller measured just now.</summary>
    public string Render(long totalUsers, long runningServers, long activeSessions)
    {
        var text = new StringBuilder(4096);
        Gauge(text, "total_users", "Total number of users", totalUsers);
        Gauge(text, "running_servers", "The number of user servers currently running", runningServers);
        Gauge(text, "active_sessions", "Login sessions that have not expired", activeSessions);
        HistogramFamily(text, "request_duration_seconds", "Request duration for all HTTP requests", _requests);
        HistogramFamily(text, "login_duration_seconds", "Time taken for logins", _logins);
        HistogramFamily(text, "logout_duration_seconds", "Time taken for logouts", new Dictionary<string, Histogram> { [""] = _logouts });
        Counter(text, "login_throttled_total", "Login attempts refused because of too many failures", Interlocked.Read(ref _loginsThrottled));
        Counter(text, "spawn_throttled_total", "Start requests answered with 429", Interlocked.Read(ref _spawnsThrottled));
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {Prefix}{name} {help}\n# TYPE {Prefix}{name} gauge\n{Prefix}{name} {value}\n");

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {Prefix}{name} {help}\n# TYPE {Prefix}{name} counter\n{Prefix}{name} {value}\n");

    private static void HistogramFamily(StringBuilder text, string name, string help, IEnumerable<KeyValuePair<string, Histogram>> series)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {Prefix}{name} {help}\n# TYPE {Prefix}{name} histogram\n");
        foreach (var (labels, histogram) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            histogram.Write(text, Prefix + name, labels);
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] _counts = new long[bounds.Length + 1];
        private readonly Lock _gate = new();
        private double _sum;

        public void Observe(double value)
        {
            int index = Array.FindIndex(bounds, b => value <= b);
            lock (_gate)
            {
                _counts[index < 0 ? bounds.Length : index]++;
                _sum += value;
            }
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            long[] counts;
            double sum;
            lock (_gate)
            {
                counts = (long[])_counts.Clone();
                sum = _sum;
            }
            string prefix = labels.Length == 0 ? "" : labels + ",";
            long cumulative = 0;
            for (int i = 0; i < bounds.Length; i++)
            {
                cumulative += counts[i];
                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{prefix}le=\"{bounds[i]}\"}} {cumulative}\n");
            }
            cumulative += counts[^1];
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{prefix}le=\"+Inf\"}} {cumulative}\n");
            string braces = labels.Length == 0 ? "" : "{" + labels + "}";
            text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {sum}\n{name}_count{braces} {cumulative}\n");
        }
    }
}
