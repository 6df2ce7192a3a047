using Hub.Gateway.Activity;
using Hub.Gateway.Metrics;
using Microsoft.AspNetCore.Http.Features;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Stands in for the client connection's upgrade features (HTTP/1.1 upgrade, HTTP/2 extended CONNECT) while YARP relays
/// a WebSocket: the stream YARP gets once the client's side is switched is an <see cref="ObservedStream"/>, so every
/// frame in either direction marks the server active and counts its bytes, and the open-WebSocket gauge covers exactly
/// the time the connection was switched.
/// </summary>
internal sealed class ObservedUpgrade : ITransferObserver, IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    private readonly IHttpUpgradeFeature? _upgrade;
    private readonly IHttpExtendedConnectFeature? _connect;
    private readonly ForwardTarget _target;
    private readonly GatewayMetrics _metrics;
    private readonly ActivityRecorder _activity;
    private bool _opened;

    private ObservedUpgrade(HttpContext context, ForwardTarget target, GatewayMetrics metrics, ActivityRecorder activity)
    {
        _upgrade = context.Features.Get<IHttpUpgradeFeature>();
        _connect = context.Features.Get<IHttpExtendedConnectFeature>();
        _target = target;
        _metrics = metrics;
        _activity = activity;
    }

    /// <summary>Puts the observing features in place of the connection's own for this request.</summary>
    public static ObservedUpgrade Install(HttpContext context, ForwardTarget target, GatewayMetrics metrics, ActivityRecorder activity)
    {
        var observed = new ObservedUpgrade(context, target, metrics, activity);
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

    public void Transferred(int bytes)
    {
        _metrics.WebSocketBytesRelayed(bytes);
        if (_target.Server is { } server)
        {
            _activity.Record(server);
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
        return new ObservedStream(client, this);
    }
}
