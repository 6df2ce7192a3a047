using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Hub.Gateway.Activity;
using Hub.Gateway.Hosting;
using Hub.Gateway.Metrics;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// The upgrade path: opens a WebSocket to the backend first (so its refusal can still be answered with its own status),
/// then accepts the client's (HTTP/1.1 upgrade or HTTP/2 extended CONNECT) with the subprotocol the backend chose, and
/// relays messages both ways, frame by frame. A close from either side is passed on with its code and reason; a side
/// that vanishes without closing makes the gateway abort the other.
/// </summary>
public sealed class WebSocketForwarder(BackendClient backend, GatewayOptions options, GatewayMetrics metrics, ActivityRecorder activity)
{
    private const int BufferSize = 16 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(10);

    private static readonly HashSet<string> HandshakeHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.SecWebSocketKey, HeaderNames.SecWebSocketVersion, HeaderNames.SecWebSocketProtocol,
        HeaderNames.SecWebSocketExtensions, HeaderNames.SecWebSocketAccept,
    };

    public async Task<ForwardResult> ForwardAsync(HttpContext context, ForwardTarget target)
    {
        using var upstream = CreateClient(context, target);
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            connecting.CancelAfter(options.BackendConnectTimeout + options.BackendResponseTimeout);
            try
            {
                await upstream.ConnectAsync(BackendRequest.Url(context, target, webSocket: true), backend.Invoker, connecting.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or IOException)
            {
                return HandshakeFailed(context, upstream, ex);
            }
        }

        WebSocket client;
        try
        {
            client = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = upstream.SubProtocol,
                KeepAliveInterval = options.WebSocketKeepAliveInterval,
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException)
        {
            upstream.Abort();
            return new ForwardResult(ForwarderError.ClientAborted, ex.Message);
        }

        metrics.WebSocketOpened(target.Kind);
        try
        {
            using (client)
            {
                return await RelayAsync(client, upstream, target).ConfigureAwait(false);
            }
        }
        finally
        {
            metrics.WebSocketClosed(target.Kind);
        }
    }

    private ClientWebSocket CreateClient(HttpContext context, ForwardTarget target)
    {
        var upstream = new ClientWebSocket();
        var socketOptions = upstream.Options;
        socketOptions.HttpVersion = HttpVersion.Version11;
        socketOptions.HttpVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        socketOptions.KeepAliveInterval = options.WebSocketKeepAliveInterval;
        socketOptions.CollectHttpResponseDetails = true;
        socketOptions.SetBuffer(BufferSize, BufferSize);
        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            socketOptions.AddSubProtocol(protocol);
        }

        var incoming = context.Request.Headers;
        foreach (var (name, values) in incoming)
        {
            if (BackendRequest.PassesUnchanged(name, target) && !HandshakeHeaders.Contains(name))
            {
                socketOptions.SetRequestHeader(name, values.ToString());
            }
        }
        socketOptions.SetRequestHeader(HeaderNames.Host, BackendRequest.HostFor(context, target));
        if (target.Authorization is not null)
        {
            socketOptions.SetRequestHeader(HeaderNames.Authorization, target.Authorization);
        }
        if (target.IsUserServer && BackendRequest.CookiesFor(context) is { } cookies)
        {
            socketOptions.SetRequestHeader(HeaderNames.Cookie, cookies);
        }
        var forwarded = new HttpRequestMessage().Headers;
        ForwardedHeaders.Apply(context, forwarded, options.TrustForwardedHeaders);
        foreach (var (name, values) in forwarded.NonValidated)
        {
            socketOptions.SetRequestHeader(name, values.ToString());
        }
        return upstream;
    }

    private static ForwardResult HandshakeFailed(HttpContext context, ClientWebSocket upstream, Exception ex)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return new ForwardResult(ForwarderError.ClientAborted, ex.Message);
        }
        if (upstream.HttpStatusCode is var status and not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            return new ForwardResult(ForwarderError.UpgradeFailed, $"the backend answered the handshake with {(int)status}", (int)status);
        }
        string reason = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
        if (ex is OperationCanceledException || Find<SocketException>(ex) is { SocketErrorCode: SocketError.TimedOut } || Find<TimeoutException>(ex) is not null)
        {
            return new ForwardResult(ForwarderError.Timeout, reason);
        }
        return Find<HttpRequestException>(ex) is not null || Find<SocketException>(ex) is not null
            ? new ForwardResult(ForwarderError.BackendUnreachable, reason)
            : new ForwardResult(ForwarderError.UpgradeFailed, reason);
    }

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }
        return null;
    }

    private async Task<ForwardResult> RelayAsync(WebSocket client, WebSocket upstream, ForwardTarget target)
    {
        using var stop = new CancellationTokenSource();
        var fromClient = PumpAsync(client, upstream, target, stop);
        var fromBackend = PumpAsync(upstream, client, target, stop);
        var first = await Task.WhenAny(fromClient, fromBackend).ConfigureAwait(false);
        if (!await first.ConfigureAwait(false))
        {
            // One side vanished without a close frame: the other must not wait for a close that will never come.
            await stop.CancelAsync().ConfigureAwait(false);
            client.Abort();
            upstream.Abort();
            await Task.WhenAll(fromClient, fromBackend).ConfigureAwait(false);
            return first == fromClient
                ? new ForwardResult(ForwarderError.ClientAborted, "the client dropped the WebSocket connection without a close frame")
                : new ForwardResult(ForwarderError.ResponseInterrupted, "the backend dropped the WebSocket connection without a close frame");
        }
        // A close went one way; give the other side a bounded time to answer it.
        stop.CancelAfter(CloseHandshakeTimeout);
        await Task.WhenAll(fromClient, fromBackend).ConfigureAwait(false);
        return ForwardResult.Success;
    }

    /// <summary>Copies frames from <paramref name="source"/> to <paramref name="destination"/> until a close; false if the source broke off instead.</summary>
    private async Task<bool> PumpAsync(WebSocket source, WebSocket destination, ForwardTarget target, CancellationTokenSource stop)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var received = await source.ReceiveAsync(buffer.AsMemory(), stop.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (destination.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await destination.CloseOutputAsync(source.CloseStatus ?? WebSocketCloseStatus.Empty, source.CloseStatusDescription, stop.Token).ConfigureAwait(false);
                    }
                    return true;
                }
                await destination.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, stop.Token).ConfigureAwait(false);
                metrics.WebSocketMessageRelayed();
                if (target.Server is { } server)
                {
                    activity.Record(server);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }
}
