using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hub.Gateway.Tests.Support;

/// <summary>
/// A bare TCP server on a free loopback port that answers each request head with whatever bytes a test scripts, valid
/// HTTP or not: for testing how the gateway reads what a user's server sends. It counts connections and keeps the
/// request heads it received.
/// </summary>
public sealed class ScriptedBackend : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Socket _listener;
    private readonly Func<ScriptedExchange, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly Task _accepting;
    private int _connections;

    private ScriptedBackend(Func<ScriptedExchange, Task> respond)
    {
        _respond = respond;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>How many connections the gateway opened.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every request head received, in order.</summary>
    public ConcurrentQueue<string> RequestHeads { get; } = new();

    /// <param name="respond">Called for each request head; writes the answer with <see cref="ScriptedExchange.SendAsync"/>.</param>
    public static ScriptedBackend Start(Func<ScriptedExchange, Task> respond) => new(respond);

    /// <summary>A backend that sends <paramref name="response"/> (CRLF line ends as written) to every request.</summary>
    public static ScriptedBackend Answering(string response) => Start(exchange => exchange.SendAsync(response));

    /// <summary>A backend that sends <paramref name="response"/> and then closes the connection, whatever the response said.</summary>
    public static ScriptedBackend AnsweringThenClosing(string response) => Start(async exchange =>
    {
        await exchange.SendAsync(response);
        exchange.Close();
    });

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _accepted.Add(socket);
            int connection = Interlocked.Increment(ref _connections);
            _ = ServeAsync(socket, connection);
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        var received = new List<byte>();
        var buffer = new byte[16 * 1024];
        try
        {
            for (int request = 1; ; request++)
            {
                int end;
                while ((end = IndexOfHeadEnd(received)) < 0)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(Patience);
                    int read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    if (read == 0)
                    {
                        return;
                    }
                    received.AddRange(buffer.AsSpan(0, read));
                }
                string head = Encoding.Latin1.GetString(received.GetRange(0, end).ToArray());
                received.RemoveRange(0, end);
                RequestHeads.Enqueue(head);
                var exchange = new ScriptedExchange(socket, connection, request, head, _stop.Token);
                await _respond(exchange);
                if (exchange.Closed)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The gateway or the test ended the connection.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (int i = 3; i < bytes.Count; i++)
        {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r')
            {
                return i + 1;
            }
        }
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (var socket in _accepted)
        {
            socket.Dispose();
        }
        await _accepting;
        _stop.Dispose();
    }
}

/// <summary>One request the scripted backend received, and the means to answer it.</summary>
public sealed class ScriptedExchange(Socket socket, int connection, int request, string head, CancellationToken stop)
{
    /// <summary>The connection's number, from 1.</summary>
    public int Connection => connection;

    /// <summary>The request's number on its connection, from 1.</summary>
    public int Request => request;

    public string Head => head;

    public bool Closed { get; private set; }

    /// <summary>Sends text as Latin-1 bytes, exactly as given (write <c>\r\n</c> where a line ends).</summary>
    public async Task SendAsync(string text) => await SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await socket.SendAsync(bytes, SocketFlags.None, stop);

    /// <summary>Waits until the gateway closes the connection (reading and dropping whatever it sends meanwhile).</summary>
    public async Task WaitForCloseAsync(TimeSpan timeout)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop);
        waiting.CancelAfter(timeout);
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, waiting.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset by the gateway: closed as well.
        }
        Closed = true;
    }

    /// <summary>Closes the connection after this exchange.</summary>
    public void Close()
    {
        Closed = true;
        socket.Shutdown(SocketShutdown.Both);
    }
}
