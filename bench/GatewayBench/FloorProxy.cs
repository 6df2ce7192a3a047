using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GatewayBench;

/// <summary>
/// A measuring stick, not a proxy anyone should use: the least a .NET program can do to pass a GET through, with
/// bare sockets and no HTTP stack on either side. It copies the request head to a pooled backend connection, reads
/// the response head and its <c>Content-Length</c> body, and copies them back; anything else (bodies, chunked
/// responses, upgrades, errors) closes the connection. Against it, bench/gateway-proxy.sh shows how much of the
/// gateway's cost is Kestrel and <c>SocketsHttpHandler</c> and how much is .NET's sockets on this machine.
/// </summary>
internal static class FloorProxy
{
    private const int BufferSize = 16 * 1024;
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    public static async Task<int> RunAsync(int port, int backendPort)
    {
        var backend = new IPEndPoint(IPAddress.Loopback, backendPort);
        var idle = new ConcurrentBag<Socket>();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(1024);
        Console.WriteLine("ready");
        while (true)
        {
            var client = await listener.AcceptAsync();
            client.NoDelay = true;
            _ = Task.Run(() => ServeAsync(client, backend, idle));
        }
    }

    private static async Task ServeAsync(Socket client, IPEndPoint backendAddress, ConcurrentBag<Socket> idle)
    {
        var request = new byte[BufferSize];
        var response = new byte[BufferSize];
        try
        {
            while (true)
            {
                int requestHead = await ReadHeadAsync(client, request);
                if (requestHead < 0)
                {
                    return;
                }
                if (!idle.TryTake(out var backend))
                {
                    backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await backend.ConnectAsync(backendAddress);
                }
                await backend.SendAsync(request.AsMemory(0, requestHead), SocketFlags.None);
                int received = 0;
                int responseHead;
                while ((responseHead = EndOfHead(response, received)) < 0)
                {
                    received += await ReceiveSomeAsync(backend, response.AsMemory(received));
                }
                int total = responseHead + ContentLength(response, responseHead);
                while (received < total)
                {
                    received += await ReceiveSomeAsync(backend, response.AsMemory(received, total - received));
                }
                idle.Add(backend);
                await client.SendAsync(response.AsMemory(0, total), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or FormatException)
        {
            // The measuring stick gives up on anything it does not handle.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Reads until the end of a request head; the head's length, or -1 when the client closed.</summary>
    private static async Task<int> ReadHeadAsync(Socket client, byte[] buffer)
    {
        int read = 0;
        int end;
        while ((end = EndOfHead(buffer, read)) < 0)
        {
            int more = await client.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
            if (more == 0)
            {
                return -1;
            }
            read += more;
        }
        return end;
    }

    private static async Task<int> ReceiveSomeAsync(Socket socket, Memory<byte> into)
    {
        int read = await socket.ReceiveAsync(into, SocketFlags.None);
        return read > 0 ? read : throw new IOException("the backend closed the connection");
    }

    private static int EndOfHead(byte[] buffer, int length)
    {
        int at = buffer.AsSpan(0, length).IndexOf(HeadEnd);
        return at < 0 ? -1 : at + HeadEnd.Length;
    }

    private static int ContentLength(byte[] buffer, int headLength)
    {
        string head = Encoding.ASCII.GetString(buffer, 0, headLength);
        const string Name = "\r\nContent-Length:";
        int at = head.IndexOf(Name, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            throw new FormatException("no Content-Length");
        }
        int start = at + Name.Length;
        int end = head.IndexOf('\r', start);
        return int.Parse(head.AsSpan(start, end - start).Trim(), CultureInfo.InvariantCulture);
    }
}
