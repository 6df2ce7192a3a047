using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;

namespace Hub.Gateway.Forwarding;

/// <summary>What the backend request is made of beyond what YARP copies: its URL, its <c>Host</c> and the cookies a user server may see.</summary>
internal static class BackendRequest
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>
    /// The backend URL: the target's prefix followed by the request's path and query exactly as the client sent them
    /// (no decoding and re-encoding, so names with <c>%2F</c>, <c>%23</c> or <c>%3F</c> arrive unchanged), or as the
    /// dispatcher rewrote them to a server's canonical base URL.
    /// </summary>
    public static Uri Url(HttpContext context, ForwardTarget target) => new(target.Prefix + RawPathAndQuery(context), Verbatim);

    /// <summary>The request target as received (origin form); rebuilt from the parsed path only for the rare absolute form.</summary>
    public static string RawPathAndQuery(HttpContext context)
    {
        string? raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return raw is { Length: > 0 } && raw[0] == '/' ? raw : context.Request.GetEncodedPathAndQuery();
    }

    /// <summary>The <c>Host</c> header for the backend: the client's for user servers, the backend's own for the control plane.</summary>
    public static string HostFor(HttpContext context, ForwardTarget target) =>
        target.IsOutsideHub ? context.Request.Host.Value ?? target.Origin.Authority : target.Origin.Authority;

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
