using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Hub.Gateway.Forwarding.Http1;

/// <summary>
/// Keep-alive connections to plain-HTTP backends, per backend (host and port), most recently used first. A scan every
/// quarter of the response timeout (at most a second) aborts exchanges whose response head is overdue and closes
/// connections idle longer than <see cref="IdleTimeout"/>; no connection is reused past <see cref="Lifetime"/>, since
/// servers come and go on reused private addresses.
/// </summary>
internal sealed class Http1ConnectionPool : IDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(string Host, int Port), Stack<Http1Connection>> _idle = new();
    private readonly ConcurrentDictionary<Http1Connection, byte> _open = new();
    private readonly TimeSpan _connectTimeout;
    private readonly Timer _scan;

    public Http1ConnectionPool(TimeSpan connectTimeout, TimeSpan responseTimeout)
    {
        _connectTimeout = connectTimeout;
        var period = TimeSpan.FromTicks(Math.Clamp(responseTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _scan = new Timer(static state => ((Http1ConnectionPool)state!).Scan(), this, period, period);
    }

    /// <summary>A pooled connection to the backend, or <c>null</c> when none is idle.</summary>
    public Http1Connection? TryRent(string host, int port)
    {
        if (!_idle.TryGetValue((host, port), out var stack))
        {
            return null;
        }
        long now = Environment.TickCount64;
        lock (stack)
        {
            while (stack.TryPop(out var connection))
            {
                if (!connection.IsAborted && now - connection.IdleSince < (long)IdleTimeout.TotalMilliseconds)
                {
                    return connection;
                }
                Close(connection);
            }
        }
        return null;
    }

    /// <summary>Opens a new connection; fails with <see cref="SocketException"/>, or <see cref="TimeoutException"/> past the connect timeout.</summary>
    public async Task<Http1Connection> ConnectAsync(string host, int port, CancellationToken aborted)
    {
        var socket = IPAddress.TryParse(host, out var address)
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(_connectTimeout);
        try
        {
            await (address is null ? socket.ConnectAsync(host, port, timeout.Token) : socket.ConnectAsync(address, port, timeout.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"no connection to {host}:{port} within {_connectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connection = new Http1Connection(socket, Environment.TickCount64);
        _open.TryAdd(connection, 0);
        return connection;
    }

    /// <summary>Puts a connection whose last response was read completely back for the next request.</summary>
    public void Return(string host, int port, Http1Connection connection)
    {
        long now = Environment.TickCount64;
        if (connection.IsAborted || now - connection.CreatedAt >= (long)Lifetime.TotalMilliseconds)
        {
            Close(connection);
            return;
        }
        connection.IsReused = true;
        connection.IdleSince = now;
        var stack = _idle.GetOrAdd((host, port), static _ => new Stack<Http1Connection>());
        lock (stack)
        {
            stack.Push(connection);
        }
    }

    /// <summary>Closes a connection that cannot be reused (broken, or its response had no length).</summary>
    public void Close(Http1Connection connection)
    {
        connection.Abort();
        _open.TryRemove(connection, out _);
    }

    private void Scan()
    {
        long now = Environment.TickCount64;
        foreach (var (connection, _) in _open)
        {
            connection.AbortIfOverdue(now);
        }
        long idleLimit = (long)IdleTimeout.TotalMilliseconds;
        foreach (var (_, stack) in _idle)
        {
            lock (stack)
            {
                if (stack.Count == 0 || stack.All(c => now - c.IdleSince < idleLimit && !c.IsAborted))
                {
                    continue;
                }
                var kept = stack.Where(c => now - c.IdleSince < idleLimit && !c.IsAborted).Reverse().ToArray();
                foreach (var expired in stack.Except(kept))
                {
                    Close(expired);
                }
                stack.Clear();
                foreach (var connection in kept)
                {
                    stack.Push(connection);
                }
            }
        }
    }

    public void Dispose()
    {
        _scan.Dispose();
        foreach (var (connection, _) in _open)
        {
            Close(connection);
        }
    }
}
