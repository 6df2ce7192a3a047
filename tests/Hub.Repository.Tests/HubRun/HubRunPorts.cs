using System.Net;
using System.Net.Sockets;
using Hub.Testing;

namespace Hub.Repository.Tests.HubRun;

/// <summary>
/// Free loopback ports for one <c>./hub run</c>, so that it runs beside other tests and a developer's own hub:
/// the control plane, the gateway, and Azurite's three (blob, queue, table: consecutive, as HUB_AZURITE_PORT takes them).
/// </summary>
public sealed record HubRunPorts(int ControlPlane, int Gateway, int AzuriteBlob)
{
    public int AzuriteQueue => AzuriteBlob + 1;

    public int AzuriteTable => AzuriteBlob + 2;

    public Uri GatewayUrl => new($"http://127.0.0.1:{Gateway}/");

    public IReadOnlyList<int> All => [ControlPlane, Gateway, AzuriteBlob, AzuriteQueue, AzuriteTable];

    public static HubRunPorts Pick()
    {
        int controlPlane = FreePort.Next(), gateway = FreePort.Next();
        return new HubRunPorts(controlPlane, gateway, ThreeConsecutiveFreePorts(exclude: [controlPlane, gateway]));
    }

    /// <summary>
    /// The first of three consecutive free ports, below the range Linux hands out for port 0 and outgoing connections,
    /// so that no connection takes one between this check and Azurite's start. Another program may still bind one
    /// first; the run then fails loudly rather than share a port.
    /// </summary>
    private static int ThreeConsecutiveFreePorts(int[] exclude)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int first = Random.Shared.Next(20_000, 32_000);
            if (Enumerable.Range(first, 3).All(port => !exclude.Contains(port) && IsFree(port)))
            {
                return first;
            }
        }
        throw new InvalidOperationException("No three consecutive free loopback ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
