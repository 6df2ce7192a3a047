using System.Net;
using System.Net.Sockets;

namespace Hub.Testing;

/// <summary>Free loopback ports, for the few programs that cannot be told to pick their own (port 0).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
