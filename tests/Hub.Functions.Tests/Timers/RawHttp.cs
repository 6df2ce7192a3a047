using System.Net.Sockets;
using System.Text;

namespace Hub.Functions.Tests.Timers;

/// <summary>Sends bytes exactly as written (HttpClient would resolve dot segments and fix framing first).</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> (which should ask for <c>Connection: close</c>) and reads the whole answer.</summary>
    public static async Task<string> SendAsync(Uri server, string request, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancellation.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellation.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellation.Token).ConfigureAwait(false);
    }
}
