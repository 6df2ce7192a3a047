using System.Net;
using Hub.Gateway.Hosting;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// The one <see cref="HttpMessageInvoker"/> that YARP's forwarder sends every backend request through, for user servers
/// and the control plane alike: a <see cref="SocketsHttpHandler"/> that keeps connections alive and reuses them, never
/// follows redirects, decompresses, stores cookies or uses a system proxy (the gateway passes all of that on).
/// </summary>
public sealed class BackendClient : IDisposable
{
    public BackendClient(GatewayOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.BackendConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // Servers come and go on reused private addresses: do not keep a connection to an address forever.
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            EnableMultipleHttp2Connections = true,
            // The gateway is not a traced client of its own; pass the client's trace headers through untouched.
            ActivityHeadersPropagator = null,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
