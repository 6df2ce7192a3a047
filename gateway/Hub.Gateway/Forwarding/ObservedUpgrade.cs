using Hub.Core.Store;
using Hub.Gateway.Activity;
using Hub.Gateway.Metrics;
using Microsoft.AspNetCore.Http.Features;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Stands in for the client connection's upgrade features (HTTP/1.1 upgrade, HTTP/2 extended CONNECT) while YARP relays
/// a WebSocket: the stream YARP gets once the client's side is switched is an <see cref="ObservedStream"/>, so every
/// frame's bytes are counted and the open-WebSocket gauge covers exactly the time the connection was switched. When the
/// culler counts traffic, every frame in either direction marks the server active; when it counts what a person does,
/// the connection marks it once, and then only client messages a <see cref="ClientFrameReader"/> finds (cell runs,
/// terminal input).
/// </summary>
internal sealed class ObservedUpgrade : ITransferObserver, IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    private readonly IHttpUpgradeFeature? _upgrade;
    private readonly IHttpExtendedConnectFeature? _connect;
    private readonly ForwardTarget _target;
    private readonly GatewayMetrics _metrics;
    private readonly ActivityRecorder _activity;
    private readonly ActivityRules _rules;
    private readonly HttpContext _context;
    private ClientFrameReader? _frames;
    private bool _opened;

    private ObservedUpgrade(HttpContext context, ForwardTarget target, GatewayMetrics metrics, ActivityRecorder activity, ActivityRules rules)
    {
        _upgrade = context.Features.Get<IHttpUpgradeFeature>();
        _connect = context.Features.Get<IHttpExtendedConnectFeature>();
        _context = context;
        _target = target;
        _metrics = metrics;
        _activity = activity;
        _rules = rules;
    }

    /// <summary>Puts the observing features in place of the connection's own for this request.</summary>
    public static ObservedUpgrade Install(HttpContext context, ForwardTarget target, GatewayMetrics metrics, ActivityRecorder activity, ActivityRules rules)
    {
        var observed = new ObservedUpgrade(context, target, metrics, activity, rules);
        if (observed._upgrade is not null)
        {
            context.Features.Set<IHttpUpgradeFeature>(observed);
        }
        if (observed._connect is not null)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(observed);
        }
        return observed;
    }

    public bool IsUpgradableRequest => _upgrade?.IsUpgradableRequest == true;

    public bool IsExtendedConnect => _connect?.IsExtendedConnect == true;

    public string? Protocol => _connect?.Protocol;

    public async Task<Stream> UpgradeAsync() => Opened(await _upgrade!.UpgradeAsync().ConfigureAwait(false));

    public async ValueTask<Stream> AcceptAsync() => Opened(await _connect!.AcceptAsync().ConfigureAwait(false));

    public void Read(ReadOnlySpan<byte> data)
    {
        _metrics.WebSocketBytesRelayed(data.Length);
        if (_target.Server is not { } server)
        {
            return;
        }
        if (_rules.CountsTraffic)
        {
            _activity.Record(server, ActivityKind.Traffic);
        }
        else if (_frames is not null && _frames.Read(data) > 0)
        {
            _activity.Record(server, _frames.Kind);
        }
    }

    public void Written(int bytes)
    {
        _metrics.WebSocketBytesRelayed(bytes);
        if (_rules.CountsTraffic && _target.Server is { } server)
        {
            _activity.Record(server, ActivityKind.Traffic);
        }
    }

    /// <summary>The relay is over: the gauge goes down if it went up.</summary>
    public void Finish()
    {
        if (_opened)
        {
            _opened = false;
            _metrics.WebSocketClosed(_target.Kind);
        }
    }

    private ObservedStream Opened(Stream client)
    {
        _opened = true;
        _metrics.WebSocketOpened(_target.Kind);
        if (_target.Server is { } server && !_rules.CountsTraffic)
        {
            // The server's response headers are the client's now: the subprotocol it chose tells the kernel protocol.
            _activity.Record(server, ActivityKind.WebSocket);
            if (_rules.InspectorFor(_context.Request.Path.Value ?? "", _context.Response.Headers.SecWebSocketProtocol.ToString()) is { } inspector)
            {
                _frames = new ClientFrameReader(inspector);
            }
        }
        return new ObservedStream(client, this);
    }
}
