using System.Collections.Frozen;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Headers that describe one connection (RFC 9110 §7.6.1) and so are never forwarded. (Kestrel already drops any
/// other names a client lists in <c>Connection</c>: it keeps only close, keep-alive and upgrade there.)
/// </summary>
internal static class HopByHopHeaders
{
    private static readonly FrozenSet<string> Names = new[]
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, "Proxy-Connection", HeaderNames.ProxyAuthenticate,
        HeaderNames.ProxyAuthorization, HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding,
        HeaderNames.Upgrade, HeaderNames.Expect, "HTTP2-Settings",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool Contains(string name) => Names.Contains(name);
}
