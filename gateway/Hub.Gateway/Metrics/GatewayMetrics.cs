using System.Diagnostics.Metrics;
using System.Globalization;
using Hub.Gateway.Forwarding;

namespace Hub.Gateway.Metrics;

/// <summary>
/// The gateway's instruments, exposed on <c>GET /metrics</c> by OpenTelemetry's Prometheus exporter. The request path
/// only increments interlocked counters (no lock, no lookup by label); observable instruments read them when a scrape
/// collects, and the backend latency is a histogram. Names start with <see cref="Prefix"/> and are the exposed names.
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>The meter of every gateway instrument.</summary>
    public const string MeterName = "Hub.Gateway";

    public const string Prefix = "hub_gateway_";

    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private static readonly BackendKind[] Kinds = Enum.GetValues<BackendKind>();
    private static readonly ForwarderError[] Errors = Enum.GetValues<ForwarderError>();
    private static readonly string[] Codes = Enumerable.Range(0, 600).Select(code => code.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly KeyValuePair<string, object?>[] BackendTags = [.. Kinds.Select(kind => new KeyValuePair<string, object?>("backend", Label(kind)))];

    // [kind][status code 0..599]; 499 counts requests the client abandoned.
    private readonly long[][] _requests = [.. Kinds.Select(_ => new long[600])];
    private readonly long[] _gatewayResponses = new long[600];
    private readonly long[] _errors = new long[Errors.Length];
    private readonly Histogram<double> _latency;
    private readonly long[] _openWebSockets = new long[Kinds.Length];
    private long _webSocketBytes;
    private long _routes;
    private long _routeRefreshFailures;
    private long _routePointReads;
    private long _activityWrites;
    private long _activityWriteFailures;
    private long _staleCredentials;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter(Prefix + "requests_total", ObserveRequests,
            description: "Requests forwarded, by backend and the status code the client got (499: the client went away).");
        meter.CreateObservableCounter(Prefix + "gateway_responses_total", ObserveGatewayResponses,
            description: "Requests the gateway answered itself (redirects to the hub, refusals, its own endpoints), by status code.");
        meter.CreateObservableCounter(Prefix + "forward_errors_total", ObserveErrors, description: "Forwarding failures, by kind (see ForwarderError).");
        _latency = meter.CreateHistogram(Prefix + "backend_duration_seconds", "s",
            "Time from forwarding a request to receiving the backend's response headers.", advice: LatencyBuckets);
        meter.CreateObservableUpDownCounter(Prefix + "websockets_open", ObserveOpenWebSockets, description: "WebSocket connections being relayed now.");
        meter.CreateObservableCounter(Prefix + "websocket_bytes_total", () => Interlocked.Read(ref _webSocketBytes), description: "WebSocket bytes relayed, both directions.");
        meter.CreateObservableGauge(Prefix + "routes", () => Interlocked.Read(ref _routes), description: "Routes in the current snapshot.");
        meter.CreateObservableCounter(Prefix + "route_refresh_failures_total", () => Interlocked.Read(ref _routeRefreshFailures),
            description: "Route table reads that failed (the last good snapshot stayed in use).");
        meter.CreateObservableCounter(Prefix + "route_point_reads_total", () => Interlocked.Read(ref _routePointReads),
            description: "Single-route reads for requests whose route was not in the snapshot.");
        meter.CreateObservableCounter(Prefix + "activity_writes_total", () => Interlocked.Read(ref _activityWrites), description: "Server activity times written to the store.");
        meter.CreateObservableCounter(Prefix + "activity_write_failures_total", () => Interlocked.Read(ref _activityWriteFailures),
            description: "Server activity writes that failed (retried with the next batch).");
        meter.CreateObservableCounter(Prefix + "stale_credentials_total", () => Interlocked.Read(ref _staleCredentials),
            description: "Sessions and tokens accepted from memory because the store did not answer in time.");
    }

    /// <summary>Counts a credential accepted from memory because the store did not answer.</summary>
    public void StaleCredentialServed() => Interlocked.Increment(ref _staleCredentials);

    /// <summary>Counts a forwarded request by where it went and the status the client got.</summary>
    public void CountRequest(BackendKind kind, int statusCode) =>
        Interlocked.Increment(ref _requests[(int)kind][statusCode is >= 0 and < 600 ? statusCode : 0]);

    /// <summary>Counts a request the gateway answered itself (refusals, redirects, its own endpoints).</summary>
    public void CountGatewayResponse(int statusCode) =>
        Interlocked.Increment(ref _gatewayResponses[statusCode is >= 0 and < 600 ? statusCode : 0]);

    public void CountError(ForwarderError error) => Interlocked.Increment(ref _errors[(int)error]);

    /// <summary>Time from sending a request to the backend to receiving its response headers.</summary>
    public void ObserveBackendLatency(BackendKind kind, TimeSpan elapsed) => _latency.Record(elapsed.TotalSeconds, BackendTags[(int)kind]);

    public void WebSocketOpened(BackendKind kind) => Interlocked.Increment(ref _openWebSockets[(int)kind]);

    public void WebSocketClosed(BackendKind kind) => Interlocked.Decrement(ref _openWebSockets[(int)kind]);

    public void WebSocketBytesRelayed(int bytes) => Interlocked.Add(ref _webSocketBytes, bytes);

    public long OpenWebSockets => Interlocked.Read(ref _openWebSockets[0]) + Interlocked.Read(ref _openWebSockets[1]);

    public void SetRouteCount(int count) => Interlocked.Exchange(ref _routes, count);

    public void RouteRefreshFailed() => Interlocked.Increment(ref _routeRefreshFailures);

    public void RoutePointRead() => Interlocked.Increment(ref _routePointReads);

    public void ActivityWritten(int servers) => Interlocked.Add(ref _activityWrites, servers);

    public void ActivityWriteFailed() => Interlocked.Increment(ref _activityWriteFailures);

    private IEnumerable<Measurement<long>> ObserveRequests()
    {
        foreach (var kind in Kinds)
        {
            var counts = _requests[(int)kind];
            for (int code = 0; code < counts.Length; code++)
            {
                long count = Volatile.Read(ref counts[code]);
                if (count > 0)
                {
                    yield return new(count, BackendTags[(int)kind], new("code", Codes[code]));
                }
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveGatewayResponses()
    {
        for (int code = 0; code < _gatewayResponses.Length; code++)
        {
            long count = Volatile.Read(ref _gatewayResponses[code]);
            if (count > 0)
            {
                yield return new(count, new KeyValuePair<string, object?>("code", Codes[code]));
            }
        }
    }

    // Every kind, at 0 too, so an alert on a kind works before its first occurrence.
    private IEnumerable<Measurement<long>> ObserveErrors() =>
        Errors.Where(e => e != ForwarderError.None)
            .Select(e => new Measurement<long>(Volatile.Read(ref _errors[(int)e]), new KeyValuePair<string, object?>("error", ForwarderErrors.Label(e))));

    private IEnumerable<Measurement<long>> ObserveOpenWebSockets() =>
        Kinds.Select(kind => new Measurement<long>(Interlocked.Read(ref _openWebSockets[(int)kind]), BackendTags[(int)kind]));

    private static string Label(BackendKind kind) => kind switch
    {
        BackendKind.ControlPlane => "hub",
        BackendKind.Service => "service",
        _ => "user",
    };
}
