using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>What the backend request is made of, shared by HTTP and WebSocket forwarding: its URL and which client headers pass.</summary>
internal static class BackendRequest
{
    /// <summary>
    /// The backend URL: the target's prefix followed by the request's path and query exactly as the client sent them
    /// (no decoding and re-encoding, so names with <c>%2F</c>, <c>%23</c> or <c>%3F</c> arrive unchanged).
    /// </summary>
    public static Uri Url(HttpContext context, ForwardTarget target, bool webSocket = false)
    {
        string prefix = target.Prefix;
        if (webSocket)
        {
            prefix = prefix.StartsWith("https:", StringComparison.Ordinal) ? "wss:" + prefix[6..] : "ws:" + prefix[5..];
        }
        return new Uri(prefix + RawPathAndQuery(context), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
    }

    /// <summary>The request target as received (origin form); rebuilt from the parsed path only for the rare absolute form.</summary>
    public static string RawPathAndQuery(HttpContext context)
    {
        string? raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return raw is { Length: > 0 } && raw[0] == '/' ? raw : context.Request.GetEncodedPathAndQuery();
    }

    /// <summary>
    /// Whether a client header is passed on as it is. Hop-by-hop headers, the forwarding headers (set afresh), <c>Host</c>
    /// (set per target), and for user servers <c>Authorization</c> (replaced by the server's token) and <c>Cookie</c>
    /// (passed on without the hub's cookies) are not.
    /// </summary>
    public static bool PassesUnchanged(string name, ForwardTarget target) =>
        name.Length > 0 && name[0] != ':'
        && !HopByHopHeaders.Contains(name)
        && !ForwardedHeaders.IsForwardedHeader(name)
        && !name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase)
        && !(target.Authorization is not null && name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase))
        && !(target.IsUserServer && name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The headers the gateway sets itself: <c>Host</c>, the server's token, the client's cookies without the hub's
    /// (user servers only), and <c>X-Forwarded-*</c>.
    /// </summary>
    public static void AddTargetHeaders<TSink>(HttpContext context, ForwardTarget target, TSink headers, bool trustForwarded)
        where TSink : IHeaderSink
    {
        headers.Add(HeaderNames.Host, HostFor(context, target));
        if (target.Authorization is not null)
        {
            headers.Add(HeaderNames.Authorization, target.Authorization);
        }
        if (target.IsUserServer && CookiesFor(context) is { } cookies)
        {
            headers.Add(HeaderNames.Cookie, cookies);
        }
        ForwardedHeaders.Apply(context, headers, trustForwarded);
    }

    /// <summary>What a failed send to the backend means: the client left, the backend was too slow, or it could not be reached.</summary>
    /// <param name="clientFailed">Reading the client's request body failed.</param>
    public static ForwardResult Failure(Exception ex, HttpContext context, bool clientFailed = false)
    {
        if (context.RequestAborted.IsCancellationRequested || clientFailed)
        {
            return new ForwardResult(ForwarderError.ClientAborted, ex.Message);
        }
        string reason = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
        bool timedOut = ex is OperationCanceledException
            || ex.InnerException is TimeoutException
            || ex.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut };
        return new ForwardResult(timedOut ? ForwarderError.Timeout : ForwarderError.BackendUnreachable, reason);
    }

    /// <summary>The <c>Host</c> header for the backend: the client's for user servers, the backend's own for the control plane.</summary>
    public static string HostFor(HttpContext context, ForwardTarget target) =>
        target.IsUserServer ? context.Request.Host.Value ?? target.Origin.Authority : target.Origin.Authority;

    /// <summary>The client's cookies a user server may see (the hub's removed); <c>null</c> when none are left.</summary>
    public static string? CookiesFor(HttpContext context)
    {
        var cookies = context.Request.Headers.Cookie;
        if (cookies.Count == 0)
        {
            return null;
        }
        return HubCookieFilter.WithoutHubCookies(cookies.Count == 1 ? cookies[0]! : string.Join("; ", cookies.ToArray()));
    }
}
