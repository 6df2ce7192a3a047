using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Hub.Gateway.Activity;
using Hub.Gateway.Hosting;
using Hub.Gateway.Metrics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// The upgrade path. The handshake goes to the backend first, as an HTTP/1.1 upgrade on a pooled-handler connection; if
/// the backend does not switch protocols, its answer (status, headers, body) goes back to the client as it is (Jupyter
/// refuses a foreign origin with 403, a missing kernel with 404). If it does, the client's side is switched too (an
/// HTTP/1.1 upgrade, or an HTTP/2 extended CONNECT, for which the gateway makes and checks the key itself) and the bytes
/// are relayed both ways unchanged: frames, pings and close frames with their codes pass end to end, and permessage
/// compression stays between the browser and the server. When either side's stream ends, the other is closed.
/// </summary>
public sealed class WebSocketForwarder(BackendClient backend, GatewayOptions options, GatewayMetrics metrics, ActivityRecorder activity)
{
    private const int BufferSize = 16 * 1024;
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Handshake headers the backend's 101 carries back to the client.</summary>
    private static readonly string[] AcceptedHeaders = [HeaderNames.SecWebSocketProtocol, HeaderNames.SecWebSocketExtensions];

    public async Task<ForwardResult> ForwardAsync(HttpContext context, ForwardTarget target)
    {
        var extendedConnect = context.Features.Get<IHttpExtendedConnectFeature>();
        bool http2 = extendedConnect?.IsExtendedConnect == true;
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (!http2 && upgrade?.IsUpgradableRequest != true)
        {
            return new ForwardResult(ForwarderError.UpgradeFailed, "the client's connection cannot be upgraded");
        }

        // An HTTP/2 client sends no key (RFC 8441); the HTTP/1.1 backend needs one, so the gateway makes it.
        string key = http2 ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)) : context.Request.Headers.SecWebSocketKey.ToString();
        using var request = CreateHandshake(context, target, key);
        using var timeout = ResponseTimeout.Start(context.RequestAborted, options.BackendConnectTimeout + options.BackendResponseTimeout);
        HttpResponseMessage response;
        try
        {
            response = await backend.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return BackendRequest.Failure(ex, context);
        }
        timeout.Stop();

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
            {
                return await PassOnRefusalAsync(context, response).ConfigureAwait(false);
            }
            if (response.Headers.TryGetValues(HeaderNames.SecWebSocketAccept, out var accepts) && accepts.FirstOrDefault() != AcceptFor(key))
            {
                return new ForwardResult(ForwarderError.UpgradeFailed, "the backend's Sec-WebSocket-Accept does not match the key");
            }

            Stream backendStream;
            try
            {
                backendStream = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                return BackendRequest.Failure(ex, context);
            }

            await using (backendStream.ConfigureAwait(false))
            {
                Stream clientStream;
                try
                {
                    clientStream = http2
                        ? await AcceptHttp2Async(context, extendedConnect!, response).ConfigureAwait(false)
                        : await AcceptHttp11Async(context, upgrade!, response).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
                {
                    return new ForwardResult(ForwarderError.ClientAborted, ex.Message);
                }

                metrics.WebSocketOpened(target.Kind);
                try
                {
                    await using (clientStream.ConfigureAwait(false))
                    {
                        return await RelayAsync(clientStream, backendStream, target).ConfigureAwait(false);
                    }
                }
                finally
                {
                    metrics.WebSocketClosed(target.Kind);
                }
            }
        }
    }

    private HttpRequestMessage CreateHandshake(HttpContext context, ForwardTarget target, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, BackendRequest.Url(context, target))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (BackendRequest.PassesUnchanged(name, target) && !name.Equals(HeaderNames.SecWebSocketKey, StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, values.Count == 1 ? values[0] : string.Join(", ", values.ToArray()));
            }
        }
        request.Headers.TryAddWithoutValidation(HeaderNames.Connection, "Upgrade");
        request.Headers.TryAddWithoutValidation(HeaderNames.Upgrade, "websocket");
        request.Headers.TryAddWithoutValidation(HeaderNames.SecWebSocketKey, key);
        if (!request.Headers.Contains(HeaderNames.SecWebSocketVersion))
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.SecWebSocketVersion, "13");
        }
        BackendRequest.AddTargetHeaders(context, target, new HttpHeadersSink(request.Headers), options.TrustForwardedHeaders);
        return request;
    }

    private static async Task<Stream> AcceptHttp11Async(HttpContext context, IHttpUpgradeFeature upgrade, HttpResponseMessage response)
    {
        // Kestrel answers 101 with Connection: Upgrade; the rest of the handshake comes from the backend.
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = response.Headers.GetValues(HeaderNames.SecWebSocketAccept).First();
        CopyAcceptedHeaders(context, response);
        return await upgrade.UpgradeAsync().ConfigureAwait(false);
    }

    private static async Task<Stream> AcceptHttp2Async(HttpContext context, IHttpExtendedConnectFeature connect, HttpResponseMessage response)
    {
        CopyAcceptedHeaders(context, response);
        return await connect.AcceptAsync().ConfigureAwait(false);
    }

    private static void CopyAcceptedHeaders(HttpContext context, HttpResponseMessage response)
    {
        foreach (var name in AcceptedHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
    }

    private static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));

    private static async Task<ForwardResult> PassOnRefusalAsync(HttpContext context, HttpResponseMessage response)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        var listed = response.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connection) ? HopByHopHeaders.ListedIn(connection) : null;
        CopyHeaders(response.Headers, context.Response.Headers, listed);
        CopyHeaders(response.Content.Headers, context.Response.Headers, listed);
        try
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            context.Abort();
            return new ForwardResult(ForwarderError.ClientAborted, ex.Message);
        }
        return ForwardResult.Success;
    }

    private static void CopyHeaders(HttpHeaders from, IHeaderDictionary to, HashSet<string>? listed)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            if (!HopByHopHeaders.Contains(name) && listed?.Contains(name) != true)
            {
                to.Append(name, values.ToArray());
            }
        }
    }

    private async Task<ForwardResult> RelayAsync(Stream client, Stream server, ForwardTarget target)
    {
        using var stop = new CancellationTokenSource();
        var fromClient = CopyAsync(client, server, target, stop.Token);
        var fromServer = CopyAsync(server, client, target, stop.Token);
        var first = await Task.WhenAny(fromClient, fromServer).ConfigureAwait(false);
        // One side's stream ended (after its close frame, or abruptly): whatever the other sends now has nowhere to go.
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(fromClient, fromServer).ConfigureAwait(false);
        return (first == fromClient, await first.ConfigureAwait(false)) switch
        {
            (_, true) => ForwardResult.Success,
            (true, false) => new ForwardResult(ForwarderError.ClientAborted, "the client's WebSocket connection broke"),
            (false, false) => new ForwardResult(ForwarderError.ResponseInterrupted, "the backend's WebSocket connection broke"),
        };
    }

    /// <summary>Copies bytes until the source ends (true) or a read or write fails (false).</summary>
    private async Task<bool> CopyAsync(Stream source, Stream destination, ForwardTarget target, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return true;
                }
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
                metrics.WebSocketBytesRelayed(read);
                if (target.Server is { } server)
                {
                    activity.Record(server);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or HttpRequestException or SocketException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
