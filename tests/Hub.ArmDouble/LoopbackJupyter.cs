using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hub.ArmDouble;

/// <summary>
/// What a running container group of the double answers on its own loopback address (127.x.y.z) and container port:
/// enough of a Jupyter server for readiness and routing to be real. <c>{base}api/status</c> with the server's token
/// answers Jupyter's status JSON; other paths under the base URL answer 200 naming the group (so a router can be
/// checked); a missing or wrong token answers 403; anything else 404. One request per connection.
/// </summary>
public sealed class LoopbackJupyter : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _basePath;
    private readonly string _token;
    private readonly string _group;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;

    private LoopbackJupyter(TcpListener listener, string group, string basePath, string token)
    {
        _listener = listener;
        _group = group;
        _basePath = basePath;
        _token = token;
        _accepting = AcceptAsync();
    }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/>; <c>null</c> if the port is taken there.</summary>
    public static LoopbackJupyter? Start(IPAddress address, int port, string group, string basePath, string token)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException)
        {
            return null;
        }
        return new LoopbackJupyter(listener, group, basePath, token);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var stream = client.GetStream();
                string head = await ReadHeadAsync(stream, timeout.Token);
                Interlocked.Increment(ref _requests);
                var (status, body) = Answer(head);
                string response = $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nX-Served-By: {_group}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or InvalidDataException)
            {
                // A client that went away or sent nonsense: nothing to answer.
            }
        }
    }

    private (string Status, string Body) Answer(string head)
    {
        var lines = head.Split("\r\n");
        var request = lines[0].Split(' ');
        if (request.Length < 3)
        {
            return ("400 Bad Request", "{}");
        }
        string target = request[1];
        int query = target.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? target : target[..query];
        if (!path.StartsWith(_basePath, StringComparison.Ordinal))
        {
            return ("404 Not Found", "{\"message\":\"Not Found\"}");
        }
        bool authorized = lines.Skip(1).Any(l => l.Equals("Authorization: token " + _token, StringComparison.OrdinalIgnoreCase))
            || (query >= 0 && target[(query + 1)..].Split('&').Contains("token=" + Uri.EscapeDataString(_token)));
        if (!authorized)
        {
            return ("403 Forbidden", "{\"message\":\"Forbidden\"}");
        }
        if (path == _basePath + "api/status")
        {
            string now = DateTimeOffset.UtcNow.ToString("O");
            return ("200 OK", $"{{\"started\":\"{now}\",\"last_activity\":\"{now}\",\"connections\":0,\"kernels\":0}}");
        }
        return ("200 OK", $"{{\"group\":\"{_group}\",\"path\":\"{path}\"}}");
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }
            length += read;
            string text = Encoding.ASCII.GetString(buffer, 0, length);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return text[..end];
            }
        }
        throw new InvalidDataException("no complete request head");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
