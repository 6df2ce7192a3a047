using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Hub.Gateway.Hosting;

/// <summary>Kestrel listeners from the gateway's listen URLs, each with its protocols.</summary>
internal static class Listeners
{
    public static void Configure(KestrelServerOptions kestrel, GatewayOptions options)
    {
        Listen(kestrel, options.ListenUrl, HttpProtocols.Http1);
        if (options.Http2ListenUrl is { } http2)
        {
            Listen(kestrel, http2, HttpProtocols.Http2);
        }
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, HttpProtocols protocols)
    {
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            kestrel.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port, listen => listen.Protocols = protocols);
        }
        else
        {
            kestrel.ListenLocalhost(url.Port, listen => listen.Protocols = protocols);
        }
    }
}
