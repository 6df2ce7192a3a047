using System.Globalization;
using System.Text;
using Hub.Gateway.Forwarding;

namespace Hub.Gateway.Metrics;

/// <summary>
/// The gateway's Prometheus metrics, kept with interlocked counters so that the request path never takes a lock, and
/// written in the text exposition format by <c>GET /metrics</c>. Names start with <see cref="Prefix"/>.
/// </summary>
public sealed class GatewayMetrics
{
    public const string Prefix = "hub_gateway_";

    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly BackendKind[] Kinds = Enum.GetValues<BackendKind>();
    private static readonly ForwarderError[] Errors = Enum.GetValues<ForwarderError>();

    // [kind][status code 0..599]; 499 counts requests the client abandoned.
    private readonly long[][] _requests = [new long[600], new long[600]];
    private readonly long[] _gatewayResponses = new long[600];
    private readonly long[] _errors = new long[Errors.Length];
    private readonly Histogram[] _latency = [new(LatencyBuckets), new(LatencyBuckets)];
    private readonly long[] _openWebSockets = new long[2];
    private long _webSocketBytes;
    private long _routes;
    private long _routeRefreshFailures;
    private long _routePointReads;
    private long _activityWrites;
    private long _activityWriteFailures;

    /// <summary>Counts a forwarded request by where it went and the status the client got.</summary>
    public void CountRequest(BackendKind kind, int statusCode) =>
        Interlocked.Increment(ref _requests[(int)kind][statusCode is >= 0 and < 600 ? statusCode : 0]);

    /// <summary>Counts a request the gateway answered itself (refusals, redirects, its own endpoints).</summary>
    public void CountGatewayResponse(int statusCode) =>
        Interlocked.Increment(ref _gatewayResponses[statusCode is >= 0 and < 600 ? statusCode : 0]);

    public void CountError(ForwarderError error) => Interlocked.Increment(ref _errors[(int)error]);

    /// <summary>Time from sending a request to the backend to receiving its response headers.</summary>
    public void ObserveBackendLatency(BackendKind kind, TimeSpan elapsed) => _latency[(int)kind].Observe(elapsed);

    public void WebSocketOpened(BackendKind kind) => Interlocked.Increment(ref _openWebSockets[(int)kind]);

    public void WebSocketClosed(BackendKind kind) => Interlocked.Decrement(ref _openWebSockets[(int)kind]);

    public void WebSocketBytesRelayed(int bytes) => Interlocked.Add(ref _webSocketBytes, bytes);

    public long OpenWebSockets => Interlocked.Read(ref _openWebSockets[0]) + Interlocked.Read(ref _openWebSockets[1]);

    public void SetRouteCount(int count) => Interlocked.Exchange(ref _routes, count);

    public void RouteRefreshFailed() => Interlocked.Increment(ref _routeRefreshFailures);

    public void RoutePointRead() => Interlocked.Increment(ref _routePointReads);

    public void ActivityWritten(int servers) => Interlocked.Add(ref _activityWrites, servers);

    public void ActivityWriteFailed() => Interlocked.Increment(ref _activityWriteFailures);

    /// <summary>The metrics in Prometheus text format 0.0.4.</summary>
    public string ToPrometheusText()
    {
        var text = new StringBuilder(4096);
        Header(text, "requests_total", "counter", "Requests forwarded, by backend and the status code the client got (499: the client went away).");
        foreach (var kind in Kinds)
        {
            var counts = _requests[(int)kind];
            for (int code = 0; code < counts.Length; code++)
            {
                long count = Volatile.Read(ref counts[code]);
                if (count > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{Prefix}requests_total{{backend=\"{Label(kind)}\",code=\"{code}\"}} {count}\n");
                }
            }
        }
        Header(text, "gateway_responses_total", "counter", "Requests the gateway answered itself (redirects to the hub, refusals, its own endpoints), by status code.");
        for (int code = 0; code < _gatewayResponses.Length; code++)
        {
            long count = Volatile.Read(ref _gatewayResponses[code]);
            if (count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Prefix}gateway_responses_total{{code=\"{code}\"}} {count}\n");
            }
        }
        Header(text, "forward_errors_total", "counter", "Forwarding failures, by kind (see ForwarderError).");
        foreach (var error in Errors.Where(e => e != ForwarderError.None))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Prefix}forward_errors_total{{error=\"{ForwarderErrors.Label(error)}\"}} {Volatile.Read(ref _errors[(int)error])}\n");
        }
        Header(text, "backend_duration_seconds", "histogram", "Time from forwarding a request to receiving the backend's response headers.");
        foreach (var kind in Kinds)
        {
            _latency[(int)kind].WriteTo(text, Prefix + "backend_duration_seconds", $"backend=\"{Label(kind)}\",");
        }
        Header(text, "websockets_open", "gauge", "WebSocket connections being relayed now.");
        foreach (var kind in Kinds)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Prefix}websockets_open{{backend=\"{Label(kind)}\"}} {Interlocked.Read(ref _openWebSockets[(int)kind])}\n");
        }
        Simple(text, "websocket_bytes_total", "counter", "WebSocket bytes relayed, both directions.", Interlocked.Read(ref _webSocketBytes));
        Simple(text, "routes", "gauge", "Routes in the current snapshot.", Interlocked.Read(ref _routes));
        Simple(text, "route_refresh_failures_total", "counter", "Route table reads that failed (the last good snapshot stayed in use).", Interlocked.Read(ref _routeRefreshFailures));
        Simple(text, "route_point_reads_total", "counter", "Single-route reads for requests whose route was not in the snapshot.", Interlocked.Read(ref _routePointReads));
        Simple(text, "activity_writes_total", "counter", "Server activity times written to the store.", Interlocked.Read(ref _activityWrites));
        Simple(text, "activity_write_failures_total", "counter", "Server activity writes that failed (retried with the next batch).", Interlocked.Read(ref _activityWriteFailures));
        return text.ToString();
    }

    private static string Label(BackendKind kind) => kind == BackendKind.ControlPlane ? "hub" : "user";

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {Prefix}{name} {help}\n# TYPE {Prefix}{name} {type}\n");

    private static void Simple(StringBuilder text, string name, string type, string help, long value)
    {
        Header(text, name, type, help);
        text.Append(CultureInfo.InvariantCulture, $"{Prefix}{name} {value}\n");
    }
}
