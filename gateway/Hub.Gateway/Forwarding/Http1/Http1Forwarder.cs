using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Hub.Gateway.Activity;
using Hub.Gateway.Hosting;
using Hub.Gateway.Metrics;
using Hub.Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding.Http1;

/// <summary>
/// Forwards the common case, a GET or HEAD without a body to a plain-HTTP backend, over the gateway's own keep-alive
/// HTTP/1.1 connections: the request head is written in one send, the response head and body are read from one buffer,
/// and body bytes go to the client without a copy. It does per request a fraction of the work of
/// <see cref="System.Net.Http.SocketsHttpHandler"/>, which still carries everything else (request bodies, upgrades,
/// TLS). A pooled connection the backend closed meanwhile is retried once on a fresh one (GET and HEAD are idempotent).
/// </summary>
public sealed class Http1Forwarder : IDisposable
{
    private const int MaxInformationalResponses = 8;

    private readonly Http1ConnectionPool _pool;
    private readonly GatewayOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ActivityRecorder _activity;

    public Http1Forwarder(GatewayOptions options, GatewayMetrics metrics, ActivityRecorder activity)
    {
        _options = options;
        _metrics = metrics;
        _activity = activity;
        _pool = new Http1ConnectionPool(options.BackendConnectTimeout, options.BackendResponseTimeout);
    }

    /// <summary>Whether this request takes the lean path: GET or HEAD, no request body, a plain-HTTP backend, a plain request target.</summary>
    public static bool Applies(HttpContext context, ForwardTarget target, string rawTarget)
    {
        string method = context.Request.Method;
        return target.IsPlainHttp
            && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
            && context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }
            && Http1RequestHead.IsValidTarget(rawTarget);
    }

    // The async methods of the request path use pooled builders: each awaits a backend round trip, so without pooling
    // every request would allocate one state machine box per method.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ForwardResult> ForwardAsync(HttpContext context, ForwardTarget target, string rawTarget)
    {
        bool bodiless = HttpMethods.IsHead(context.Request.Method);
        using var requestHead = new Http1RequestHead();
        try
        {
            WriteRequestHead(context, target, rawTarget, requestHead);
        }
        catch (InvalidHeaderValueException ex)
        {
            return new ForwardResult(ForwarderError.BackendUnreachable, ex.Message);
        }

        string host = target.Host;
        int port = target.Origin.Port;
        var aborted = context.RequestAborted;
        long started = Stopwatch.GetTimestamp();
        var connection = _pool.TryRent(host, port);
        while (true)
        {
            if (connection is null)
            {
                try
                {
                    connection = await _pool.ConnectAsync(host, port, aborted).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException or TimeoutException or OperationCanceledException)
                {
                    return ConnectFailure(ex, aborted);
                }
            }

            var (result, retry) = await ExchangeAsync(context, target, connection, requestHead.Bytes, bodiless, started).ConfigureAwait(false);
            if (!retry)
            {
                return result;
            }
            connection = null;
        }
    }

    /// <summary>One request on one connection, which afterwards goes back to the pool or is closed, whatever happened.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(ForwardResult Result, bool Retry)> ExchangeAsync(
        HttpContext context, ForwardTarget target, Http1Connection connection, ReadOnlyMemory<byte> requestHead, bool bodiless, long started)
    {
        bool reusable = false;
        try
        {
            var aborted = context.RequestAborted;
            using var abortOnClientGone = aborted.UnsafeRegister(static state => ((Http1Connection)state!).Abort(), connection);
            var (result, retry) = await ReadResponseHeadAsync(connection, requestHead, bodiless, aborted).ConfigureAwait(false);
            if (retry || !result.Succeeded)
            {
                return (result, retry);
            }

            _metrics.ObserveBackendLatency(target.Kind, Stopwatch.GetElapsedTime(started));
            CopyResponseHeaders(context, connection.Head, target);
            result = await CopyResponseBodyAsync(context, connection, target).ConfigureAwait(false);
            // Unregistered before the connection can be pooled: a late client abort must not close it under the next request.
            abortOnClientGone.Dispose();
            reusable = result.Succeeded && connection.Head.KeepAlive && connection.Buffered.IsEmpty && !connection.IsAborted;
            return (result, false);
        }
        finally
        {
            if (reusable)
            {
                _pool.Return(target.Host, target.Origin.Port, connection);
            }
            else
            {
                _pool.Close(connection);
            }
        }
    }

    private void WriteRequestHead(HttpContext context, ForwardTarget target, string rawTarget, Http1RequestHead head)
    {
        head.StartLine(context.Request.Method, target.PathPrefix, rawTarget);
        head.Add(HeaderNames.Host, BackendRequest.HostFor(context, target));
        foreach (var (name, values) in context.Request.Headers)
        {
            if (BackendRequest.PassesUnchanged(name, target) && !name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                head.Add(name, values.Count == 1 ? values[0]! : string.Join(", ", values.ToArray()));
            }
        }
        if (target.Authorization is not null)
        {
            head.Add(HeaderNames.Authorization, target.Authorization);
        }
        if (target.IsUserServer && BackendRequest.CookiesFor(context) is { } cookies)
        {
            head.Add(HeaderNames.Cookie, cookies);
        }
        ForwardedHeaders.Apply(context, head, _options.TrustForwardedHeaders);
        head.End();
    }

    /// <summary>Sends the request and reads the final response head (1xx responses skipped) into <see cref="Http1Connection.Head"/>.</summary>
    /// <returns>The outcome, and whether to try again on a fresh connection (a reused one was closed before any byte came back).</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(ForwardResult Result, bool Retry)> ReadResponseHeadAsync(Http1Connection connection, ReadOnlyMemory<byte> request, bool bodiless, CancellationToken aborted)
    {
        bool received = false;
        connection.StartDeadline(Environment.TickCount64 + (long)_options.BackendResponseTimeout.TotalMilliseconds);
        try
        {
            await connection.SendAsync(request).ConfigureAwait(false);
            for (int informational = 0; ; informational++)
            {
                int headLength;
                while ((headLength = connection.Head.TryParse(connection.Buffered, bodiless)) == 0)
                {
                    if (await connection.FillAsync(Http1ResponseHead.MaxHeadSize).ConfigureAwait(false) == 0)
                    {
                        throw new EndOfStreamException(received ? "the server closed the connection in the middle of its response head" : "the server closed the connection without answering");
                    }
                    received = true;
                }
                connection.Consume(headLength);
                int status = connection.Head.StatusCode;
                if (status >= 200)
                {
                    break;
                }
                if (status == StatusCodes.Status101SwitchingProtocols || informational == MaxInformationalResponses)
                {
                    throw new Http1ProtocolException(status == 101 ? "the server switched protocols without being asked to" : "the server sent too many informational responses");
                }
            }
        }
        catch (Http1ProtocolException ex)
        {
            connection.StopDeadline();
            return (new ForwardResult(ForwarderError.InvalidResponse, ex.Message), false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or EndOfStreamException)
        {
            bool stillWaiting = connection.StopDeadline();
            if (aborted.IsCancellationRequested)
            {
                return (new ForwardResult(ForwarderError.ClientAborted, ex.Message), false);
            }
            if (!stillWaiting || connection.TimedOut)
            {
                return (new ForwardResult(ForwarderError.Timeout, "no response headers in time"), false);
            }
            return (new ForwardResult(ForwarderError.BackendUnreachable, ex.Message), connection.IsReused && !received);
        }
        return connection.StopDeadline()
            ? (ForwardResult.Success, false)
            : (new ForwardResult(ForwarderError.Timeout, "no response headers in time"), false);
    }

    private static void CopyResponseHeaders(HttpContext context, Http1ResponseHead head, ForwardTarget target)
    {
        var response = context.Response;
        response.StatusCode = head.StatusCode;
        string? serverPath = target.IsUserServer && target.Server is { } server ? UserPaths.ServerPrefix(server) : null;
        HashSet<string>? listed = null;
        foreach (var (name, value) in head.Headers)
        {
            if (ReferenceEquals(name, HeaderNames.Connection))
            {
                listed = HopByHopHeaders.ListedIn([value]);
            }
        }
        foreach (var (name, value) in head.Headers)
        {
            if (HopByHopHeaders.Contains(name) || listed?.Contains(name) == true
                || (head.StatusCode == StatusCodes.Status204NoContent && ReferenceEquals(name, HeaderNames.ContentLength))
                || (serverPath is not null && ReferenceEquals(name, HeaderNames.SetCookie) && !HubCookieFilter.MayUserServerSet(value, serverPath)))
            {
                continue;
            }
            response.Headers.Append(name, value);
        }
    }

    private async Task<ForwardResult> CopyResponseBodyAsync(HttpContext context, Http1Connection connection, ForwardTarget target)
    {
        var head = connection.Head;
        if (head.Framing == BodyFraming.None)
        {
            return ForwardResult.Success;
        }
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var body = new Http1Body(context, connection, _activity, target.Server);
        try
        {
            if (head.Framing == BodyFraming.ContentLength && connection.Buffered.Length >= head.ContentLength)
            {
                // The usual small response: the whole body came with the head, one write passes it on.
                await body.CopyBufferedAsync((int)head.ContentLength).ConfigureAwait(false);
                return ForwardResult.Success;
            }
            switch (head.Framing)
            {
                case BodyFraming.ContentLength:
                    await body.CopyAsync(head.ContentLength).ConfigureAwait(false);
                    break;
                case BodyFraming.Chunked:
                    await body.CopyChunkedAsync().ConfigureAwait(false);
                    break;
                default:
                    await body.CopyUntilCloseAsync().ConfigureAwait(false);
                    break;
            }
            return ForwardResult.Success;
        }
        catch (ClientWriteException ex)
        {
            return new ForwardResult(ForwarderError.ClientAborted, ex.InnerException?.Message);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or EndOfStreamException or Http1ProtocolException)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return new ForwardResult(ForwarderError.ClientAborted, ex.Message);
            }
            // The status line is gone already: cutting the connection is the only way to tell the client the body is incomplete.
            context.Abort();
            return new ForwardResult(ex is Http1ProtocolException ? ForwarderError.InvalidResponse : ForwarderError.ResponseInterrupted, ex.Message);
        }
    }

    private static ForwardResult ConnectFailure(Exception ex, CancellationToken aborted) => ex switch
    {
        _ when aborted.IsCancellationRequested => new ForwardResult(ForwarderError.ClientAborted, ex.Message),
        TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut } => new ForwardResult(ForwarderError.Timeout, ex.Message),
        _ => new ForwardResult(ForwarderError.BackendUnreachable, ex.Message),
    };

    public void Dispose() => _pool.Dispose();
}
