using System.Net;
using Hub.Core.Security;
using Hub.Gateway.Activity;
using Hub.Gateway.Hosting;
using Hub.Gateway.Metrics;
using Yarp.ReverseProxy.Forwarder;
using YarpError = Yarp.ReverseProxy.Forwarder.ForwarderError;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Forwards one request with YARP's <see cref="IHttpForwarder"/> over the shared <see cref="BackendClient"/>: HTTP/1.1
/// and HTTP/2, bodies streamed both ways, WebSockets (HTTP/1.1 upgrade or HTTP/2 extended CONNECT from the client) relayed
/// byte for byte. Around it are the gateway's own steps: <see cref="GatewayTransformer"/> for URLs, credentials,
/// cookies and response activity; <see cref="ObservedUpgrade"/> for WebSocket frames and metrics; and YARP's outcome mapped to a
/// <see cref="ForwardResult"/> (<see cref="ForwarderOutcomes"/>). The dispatcher answers failures whose response has not started.
/// </summary>
public sealed class BackendForwarder(
    IHttpForwarder forwarder, BackendClient backend, GatewayOptions options, GatewayMetrics metrics, ActivityRecorder activity, ActivityRules activityRules,
    ClientAddressHeader clientAddress)
{
    // The timeout applies until the response headers arrive and then again between any two reads or writes, so a body
    // or WebSocket may last as long as it keeps moving (Jupyter pings its WebSockets every 30 s).
    private readonly ForwarderRequestConfig _config = new() { ActivityTimeout = options.BackendResponseTimeout };

    // The control plane answers in seconds (its store calls have their own deadline): a stalled or restarting one gets
    // a 504 that retries instead of a hang. Its progress streams (server-sent events for a whole start) keep the long limit.
    private readonly ForwarderRequestConfig _controlPlaneConfig = new() { ActivityTimeout = options.ControlPlaneTimeout };

    // Over plain http a backend speaks HTTP/1.1 whatever is asked (no h2c without prior knowledge), so the request says
    // so and the client skips choosing a version for every request; https backends keep YARP's HTTP/2-or-lower by ALPN.
    // A WebSocket is then an HTTP/1.1 upgrade, as it was before.
    private readonly ForwarderRequestConfig _plainConfig = Http11(options.BackendResponseTimeout);
    private readonly ForwarderRequestConfig _plainControlPlaneConfig = Http11(options.ControlPlaneTimeout);

    public async ValueTask<ForwardResult> ForwardAsync(HttpContext context, ForwardTarget target, bool webSocket)
    {
        var transformer = new GatewayTransformer(target, webSocket, options.TrustForwardedHeaders, metrics, activity, activityRules, clientAddress);
        if (webSocket)
        {
            var upgrade = ObservedUpgrade.Install(context, target, metrics, activity, activityRules);
            try
            {
                return ForwarderOutcomes.Of(context, await SendAsync(context, target, transformer).ConfigureAwait(false), transformer, webSocket: true);
            }
            finally
            {
                upgrade.Finish();
            }
        }
        return ForwarderOutcomes.Of(context, await SendAsync(context, target, transformer).ConfigureAwait(false), transformer, webSocket: false);
    }

    private ValueTask<YarpError> SendAsync(HttpContext context, ForwardTarget target, GatewayTransformer transformer) =>
        forwarder.SendAsync(context, target.Prefix, backend.Invoker, ConfigFor(context, target), transformer);

    private ForwarderRequestConfig ConfigFor(HttpContext context, ForwardTarget target)
    {
        bool longLimit = target.IsOutsideHub || (context.Request.Path.Value ?? "").EndsWith("/progress", StringComparison.Ordinal);
        return target.IsPlainHttp
            ? longLimit ? _plainConfig : _plainControlPlaneConfig
            : longLimit ? _config : _controlPlaneConfig;
    }

    private static ForwarderRequestConfig Http11(TimeSpan activityTimeout) =>
        new() { ActivityTimeout = activityTimeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
}
