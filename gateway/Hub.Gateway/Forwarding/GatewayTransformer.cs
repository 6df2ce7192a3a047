using System.Diagnostics;
using Hub.Core.Security;
using Hub.Gateway.Activity;
using Hub.Gateway.Metrics;
using Hub.Gateway.Routing;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;
using ActivityKind = Hub.Core.Store.ActivityKind;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// The gateway's header and URL rules around YARP's own copying, for one request: the raw request target kept exactly,
/// <c>Host</c> per target, and for user servers the server's token in place of the client's <c>Authorization</c>, the
/// hub's cookies removed from <c>Cookie</c> and kept out of <c>Set-Cookie</c>; <c>X-Forwarded-*</c> set afresh (or
/// extended from a trusted ingress); response headers the backend listed in <c>Connection</c> dropped. YARP drops the
/// fixed hop-by-hop headers both ways. A <c>101 Switching Protocols</c> to anything but a WebSocket handshake is refused.
/// When the culler counts traffic, a user server's response marks it active when its headers arrive and, if the body
/// may stream, with every chunk. When it counts what a person does, a WebSocket handshake to a user server goes without
/// the compression extension, so that the client's frames can be read (<see cref="ClientFrameReader"/>).
/// </summary>
/// <param name="webSocket">The request is a WebSocket handshake: the only request a backend may switch protocols on.</param>
internal sealed class GatewayTransformer(
    ForwardTarget target, bool webSocket, bool trustForwardedHeaders, GatewayMetrics metrics, ActivityRecorder activity, ActivityRules activityRules,
    ClientAddressHeader clientAddress)
    : HttpTransformer, ITransferObserver
{
    /// <summary>A body up to this long arrives in one of YARP's copy buffers: the activity noted with its headers covers it.</summary>
    private const long OneChunk = 64 * 1024;

    private long _sentAt;

    /// <summary>Why the backend's response was not passed on although it arrived; <c>null</c> when it was.</summary>
    public string? RefusedResponse { get; private set; }

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var copying = base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (!copying.IsCompletedSuccessfully)
        {
            return FinishRequestAfterAsync(copying, httpContext, proxyRequest);
        }
        FinishRequest(httpContext, proxyRequest);
        return default;
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copying = base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return copying;
        }
        if (proxyResponse.StatusCode == System.Net.HttpStatusCode.SwitchingProtocols && !webSocket)
        {
            // YARP would try to switch the client's connection too; the client asked for no such thing.
            RefusedResponse = "the server switched protocols without being asked to";
            return new ValueTask<bool>(false);
        }
        if (!copying.IsCompletedSuccessfully)
        {
            return FinishResponseAfterAsync(copying, httpContext, proxyResponse);
        }
        FinishResponse(httpContext, proxyResponse);
        return copying;
    }

    private async ValueTask FinishRequestAfterAsync(ValueTask copying, HttpContext context, HttpRequestMessage proxyRequest)
    {
        await copying.ConfigureAwait(false);
        FinishRequest(context, proxyRequest);
    }

    private async ValueTask<bool> FinishResponseAfterAsync(ValueTask<bool> copying, HttpContext context, HttpResponseMessage proxyResponse)
    {
        bool copyBody = await copying.ConfigureAwait(false);
        FinishResponse(context, proxyResponse);
        return copyBody;
    }

    private void FinishRequest(HttpContext context, HttpRequestMessage proxyRequest)
    {
        // YARP would rebuild the URL from the decoded path, re-encoding it its own way; the server must see the target as sent.
        proxyRequest.RequestUri = BackendRequest.Url(context, target);
        var headers = proxyRequest.Headers;
        headers.Remove(HeaderNames.Host);
        headers.TryAddWithoutValidation(HeaderNames.Host, BackendRequest.HostFor(context, target));
        if (target.Authorization is not null)
        {
            headers.Remove(HeaderNames.Authorization);
            headers.TryAddWithoutValidation(HeaderNames.Authorization, target.Authorization);
        }
        if (target.IsOutsideHub && context.Request.Headers.ContainsKey(HeaderNames.Cookie))
        {
            headers.Remove(HeaderNames.Cookie);
            if (BackendRequest.CookiesFor(context) is { } cookies)
            {
                headers.TryAddWithoutValidation(HeaderNames.Cookie, cookies);
            }
        }
        if (webSocket && target.Kind == BackendKind.UserServer && !activityRules.CountsTraffic)
        {
            headers.Remove(HeaderNames.SecWebSocketExtensions);
        }
        ForwardedHeaders.Apply(context, headers, trustForwardedHeaders);
        headers.Remove(ClientAddressHeader.Name);
        headers.Remove(TimerInvocationHeader.Name); // only the hub's own callers run timer jobs, never one of its clients
        if (!target.IsOutsideHub && ForwardedHeaders.ClientOf(context, trustForwardedHeaders) is { } client)
        {
            headers.TryAddWithoutValidation(ClientAddressHeader.Name, clientAddress.Create(client));
        }
        _sentAt = Stopwatch.GetTimestamp();
    }

    private void FinishResponse(HttpContext context, HttpResponseMessage proxyResponse)
    {
        if (!webSocket)
        {
            // A handshake's time says nothing about how fast the server answers requests.
            metrics.ObserveBackendLatency(target.Kind, Stopwatch.GetElapsedTime(_sentAt));
        }
        var headers = context.Response.Headers;
        if (proxyResponse.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connection)
            && HopByHopHeaders.ListedIn(connection) is { } listed)
        {
            foreach (var name in listed)
            {
                headers.Remove(name);
            }
        }
        if (!target.IsOutsideHub)
        {
            return;
        }
        if (headers.SetCookie.Count > 0)
        {
            KeepUserServerCookies(headers);
        }
        if (target.Server is not { } server || !activityRules.CountsTraffic)
        {
            return;
        }
        activity.Record(server, ActivityKind.Traffic);
        if (!webSocket && proxyResponse.Content.Headers.ContentLength is not <= OneChunk)
        {
            // A long download or an event stream keeps the server active while it flows (YARP copies into this stream).
            context.Response.Body = new ObservedStream(context.Response.Body, this);
        }
    }

    /// <summary>A chunk of a user server's response body reached the client.</summary>
    public void Written(int bytes) => activity.Record(target.Server!.Value, ActivityKind.Traffic);

    /// <summary>A response body is only written to.</summary>
    public void Read(ReadOnlySpan<byte> data)
    {
    }

    private static void KeepUserServerCookies(IHeaderDictionary headers)
    {
        var setCookies = headers.SetCookie;
        foreach (var value in setCookies)
        {
            if (!HubCookieFilter.MayUserServerSet(value!))
            {
                headers.SetCookie = setCookies.Where(v => HubCookieFilter.MayUserServerSet(v!)).ToArray();
                return;
            }
        }
    }
}
