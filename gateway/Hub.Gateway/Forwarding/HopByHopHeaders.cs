using System.Collections.Frozen;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Headers that describe one connection (RFC 9110 §7.6.1) and so are never forwarded. YARP drops the fixed hop-by-hop
/// names both ways; this adds the other names a backend's response lists in <c>Connection</c>, which YARP passes on.
/// (A client's own extra names cannot be honoured: Kestrel keeps only close, keep-alive and upgrade in the request's
/// <c>Connection</c> value, so which other headers the client listed is lost before the gateway sees the request.)
/// </summary>
internal static class HopByHopHeaders
{
    private static readonly FrozenSet<string> Names = new[]
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, "Proxy-Connection", HeaderNames.ProxyAuthenticate,
        HeaderNames.ProxyAuthorization, HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding,
        HeaderNames.Upgrade, HeaderNames.Expect, "HTTP2-Settings",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The names a sender listed in <c>Connection</c> beyond the fixed ones (options such as <c>close</c> are not
    /// header names and do no harm here); <c>null</c> for the usual case of none, so the request path allocates nothing.
    /// </summary>
    public static HashSet<string>? ListedIn(IEnumerable<string?> connection)
    {
        HashSet<string>? listed = null;
        foreach (string? value in connection)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            foreach (var range in value.AsSpan().Split(','))
            {
                var token = value.AsSpan()[range].Trim();
                if (token.Length > 0 && !IsFixedOrOption(token))
                {
                    (listed ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(token.ToString());
                }
            }
        }
        return listed;
    }

    private static bool IsFixedOrOption(ReadOnlySpan<char> token) =>
        token.Equals("close", StringComparison.OrdinalIgnoreCase) || Names.GetAlternateLookup<ReadOnlySpan<char>>().Contains(token);
}
