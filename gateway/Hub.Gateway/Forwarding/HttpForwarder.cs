using System.Buffers;
using System.Diagnostics;
using System.Net;
using Hub.Gateway.Activity;
using Hub.Gateway.Forwarding.Http1;
using Hub.Gateway.Hosting;
using Hub.Gateway.Metrics;
using Hub.Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Forwards one plain HTTP request (not an upgrade) and streams both bodies: the request body while the backend reads
/// it, the response body chunk by chunk, flushed as it arrives (server-sent events work). Failures are returned as a
/// <see cref="ForwardResult"/>; a failure after the response started aborts the client's connection. Bodiless GET and
/// HEAD requests to plain-HTTP backends go through <see cref="Http1Forwarder"/>; the rest through <see cref="BackendClient"/>.
/// </summary>
public sealed class HttpForwarder(BackendClient backend, Http1Forwarder http1, GatewayOptions options, GatewayMetrics metrics, ActivityRecorder activity)
{
    public ValueTask<ForwardResult> ForwardAsync(HttpContext context, ForwardTarget target)
    {
        string rawTarget = BackendRequest.RawPathAndQuery(context);
        return Http1Forwarder.Applies(context, target, rawTarget) ? http1.ForwardAsync(context, target, rawTarget) : new(ForwardWithHandlerAsync(context, target));
    }

    private async Task<ForwardResult> ForwardWithHandlerAsync(HttpContext context, ForwardTarget target)
    {
        using var request = CreateRequest(context, target, out var content);
        using var timeout = ResponseTimeout.Start(context.RequestAborted, options.BackendResponseTimeout);

        long started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await backend.Invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return BackendRequest.Failure(ex, context, content?.ClientFailed == true);
        }
        timeout.Stop();
        metrics.ObserveBackendLatency(target.Kind, Stopwatch.GetElapsedTime(started));

        using (response)
        {
            CopyResponseHeaders(context, response, target);
            return await CopyResponseBodyAsync(context, response, target).ConfigureAwait(false);
        }
    }

    private HttpRequestMessage CreateRequest(HttpContext context, ForwardTarget target, out StreamingRequestContent? content)
    {
        var incoming = context.Request;
        var request = new HttpRequestMessage(HttpMethod.Parse(incoming.Method), BackendRequest.Url(context, target))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        content = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? incoming.ContentLength > 0)
        {
            content = new StreamingRequestContent(incoming.Body, incoming.ContentLength);
            request.Content = content;
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (!BackendRequest.PassesUnchanged(name, target) || name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!AddHeader(request.Headers, name, values) && content is not null)
            {
                AddHeader(content.Headers, name, values);
            }
        }

        BackendRequest.AddTargetHeaders(context, target, new HttpHeadersSink(request.Headers), options.TrustForwardedHeaders);
        return request;
    }

    private static bool AddHeader(System.Net.Http.Headers.HttpHeaders headers, string name, StringValues values) =>
        values.Count == 1 ? headers.TryAddWithoutValidation(name, values[0]) : headers.TryAddWithoutValidation(name, values.ToArray());

    private static void CopyResponseHeaders(HttpContext context, HttpResponseMessage response, ForwardTarget target)
    {
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        string? serverPath = target.IsUserServer && target.Server is { } server ? UserPaths.ServerPrefix(server) : null;
        var listed = response.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connection) ? HopByHopHeaders.ListedIn(connection) : null;
        CopyHeaders(response.Headers.NonValidated, outgoing.Headers, serverPath, listed);
        CopyHeaders(response.Content.Headers.NonValidated, outgoing.Headers, serverPath, listed);
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeadersNonValidated from, IHeaderDictionary to, string? serverPath, HashSet<string>? listed)
    {
        foreach (var (name, values) in from)
        {
            if (HopByHopHeaders.Contains(name) || listed?.Contains(name) == true)
            {
                continue;
            }
            if (serverPath is not null && name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                var allowed = values.Where(v => HubCookieFilter.MayUserServerSet(v, serverPath)).ToArray();
                if (allowed.Length > 0)
                {
                    to.Append(name, allowed);
                }
                continue;
            }
            to.Append(name, values.Count == 1 ? new StringValues(values.ToString()) : new StringValues(values.ToArray()));
        }
    }

    private async Task<ForwardResult> CopyResponseBodyAsync(HttpContext context, HttpResponseMessage response, ForwardTarget target)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var aborted = context.RequestAborted;
        Stream source;
        try
        {
            source = await response.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return Interrupted(context, ex);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamingRequestContent.ChunkSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer, aborted).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                {
                    return Interrupted(context, ex);
                }
                if (read == 0)
                {
                    return ForwardResult.Success;
                }
                try
                {
                    // Kestrel flushes each write: every chunk reaches the client as soon as the backend sent it.
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
                {
                    return new ForwardResult(ForwarderError.ClientAborted, ex.Message);
                }
                if (target.Server is { } server)
                {
                    activity.Record(server);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ForwardResult Interrupted(HttpContext context, Exception ex)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return new ForwardResult(ForwarderError.ClientAborted, ex.Message);
        }
        // The status line is gone already: cutting the connection is the only way to tell the client the body is incomplete.
        context.Abort();
        return new ForwardResult(ForwarderError.ResponseInterrupted, ex.Message);
    }
}
