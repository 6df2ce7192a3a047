using System.Diagnostics.Metrics;

namespace Hub.Functions.Metrics;

/// <summary>
/// The control plane's instruments, named as JupyterHub names its Prometheus metrics where the meaning matches
/// (<c>jupyterhub_request_duration_seconds</c>, <c>jupyterhub_login_duration_seconds</c>, …) plus explicit
/// throttling counters. Instrument names are the exposed names: the Prometheus exporter adds no suffix to a counter
/// that already ends in <c>_total</c> or to a histogram in seconds whose name ends in <c>_seconds</c>. Counts are per
/// instance, as Prometheus expects from each scraped target.
/// </summary>
public sealed class HubMetrics
{
    /// <summary>The meter of every control-plane instrument (the culler's and the store gauges' too).</summary>
    public const string MeterName = "Hub.Functions";

    /// <summary>JupyterHub's metric prefix.</summary>
    public const string Prefix = "jupyterhub_";

    /// <summary>Seconds, as the histograms report them.</summary>
    public const string Seconds = "s";

    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private readonly Histogram<double> _requests;
    private readonly Histogram<double> _logins;
    private readonly Histogram<double> _logouts;
    private long _loginsThrottled;
    private long _spawnsThrottled;

    public HubMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateHistogram(Prefix + "request_duration_seconds", Seconds, "Request duration for all HTTP requests", advice: DurationBuckets);
        _logins = meter.CreateHistogram(Prefix + "login_duration_seconds", Seconds, "Time taken for logins", advice: DurationBuckets);
        _logouts = meter.CreateHistogram(Prefix + "logout_duration_seconds", Seconds, "Time taken for logouts", advice: DurationBuckets);
        // Counted here and observed on scrape, so that both series exist (at 0) before the first refusal.
        meter.CreateObservableCounter(Prefix + "login_throttled_total", () => Interlocked.Read(ref _loginsThrottled),
            description: "Login attempts refused because of too many failures");
        meter.CreateObservableCounter(Prefix + "spawn_throttled_total", () => Interlocked.Read(ref _spawnsThrottled),
            description: "Start requests answered with 429");
    }

    /// <summary>A request ended; <paramref name="handler"/> is its route pattern, never the raw path (which holds user names).</summary>
    public void RequestFinished(string method, string handler, int code, TimeSpan duration) =>
        _requests.Record(duration.TotalSeconds, new("code", StatusCodeLabels.Of(code)), new("handler", handler), new("method", method));

    /// <summary>A login ended; <paramref name="status"/> is <c>success</c> or <c>failure</c>.</summary>
    public void LoginFinished(string status, TimeSpan duration) => _logins.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", status));

    public void LogoutFinished(TimeSpan duration) => _logouts.Record(duration.TotalSeconds);

    public void LoginThrottled() => Interlocked.Increment(ref _loginsThrottled);

    public void SpawnThrottled() => Interlocked.Increment(ref _spawnsThrottled);
}
