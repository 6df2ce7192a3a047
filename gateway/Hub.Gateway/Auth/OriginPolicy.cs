using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Auth;

/// <summary>
/// Cross-site protection for user servers: a state-changing request (any method but GET, HEAD, OPTIONS, TRACE) or a
/// WebSocket upgrade is refused when the browser says it comes from another site: an <c>Origin</c> that is neither the
/// hub's public origin nor the request's own host, <c>Origin: null</c>, or <c>Sec-Fetch-Site: cross-site</c>.
/// Requests without these headers (scripts, API clients) are not cross-site requests and pass.
/// </summary>
public sealed class OriginPolicy(Uri publicUrl)
{
    private readonly string _publicOrigin = publicUrl.GetLeftPart(UriPartial.Authority);

    public static bool NeedsCheck(HttpRequest request, bool webSocket) =>
        webSocket || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));

    /// <summary>Why the request is cross-site, or <c>null</c> when it is not.</summary>
    public string? CrossSiteReason(HttpRequest request)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return "the browser marked it cross-site (Sec-Fetch-Site)";
        }
        string? origin = request.Headers[HeaderNames.Origin];
        if (string.IsNullOrEmpty(origin))
        {
            return null;
        }
        if (string.Equals(origin, _publicOrigin, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (Uri.TryCreate(origin, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps)
            && string.Equals(parsed.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return "its Origin is another site";
    }
}
