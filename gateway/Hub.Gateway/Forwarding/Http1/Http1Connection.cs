using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Hub.Gateway.Forwarding.Http1;

/// <summary>
/// One keep-alive connection to a backend, with its receive buffer. Bytes received but not yet consumed stay in the
/// buffer (<see cref="Buffered"/>), so a response head and the start of its body are read in one receive. A timed-out or
/// abandoned exchange is ended by <see cref="Abort"/> from another thread, which fails the pending receive.
/// </summary>
internal sealed class Http1Connection : IDisposable
{
    private const int InitialBufferSize = 16 * 1024;
    private const long NoDeadline = 0;
    private const long Expired = -1;

    private readonly Socket _socket;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private long _deadline;
    private int _aborted;

    public Http1Connection(Socket socket, long now)
    {
        _socket = socket;
        CreatedAt = now;
    }

    /// <summary>When the connection was opened (<see cref="Environment.TickCount64"/>): it is not reused past its lifetime.</summary>
    public long CreatedAt { get; }

    /// <summary>The head of the response being read (reused from exchange to exchange).</summary>
    public Http1ResponseHead Head { get; } = new();

    /// <summary>When the connection was last put back in its pool.</summary>
    public long IdleSince { get; set; }

    /// <summary>Whether an earlier exchange used this connection: a reused connection may have been closed by the backend meanwhile.</summary>
    public bool IsReused { get; set; }

    /// <summary>Set when <see cref="Abort"/> was called because the response head did not arrive in time.</summary>
    public bool TimedOut { get; private set; }

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public ReadOnlyMemory<byte> BufferedMemory => _buffer.AsMemory(_start, _end - _start);

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Receives more bytes after the buffered ones; 0 at the end of the stream.</summary>
    /// <param name="maxBuffered">How many unconsumed bytes may pile up (a head, a chunk-size line) before the response is refused.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> FillAsync(int maxBuffered)
    {
        if (_end == _buffer.Length)
        {
            int buffered = _end - _start;
            if (buffered >= maxBuffered)
            {
                throw new Http1ProtocolException($"the response has a head or line longer than {maxBuffered} bytes");
            }
            byte[] target = _start > 0 ? _buffer : new byte[Math.Min(_buffer.Length * 2, Math.Max(maxBuffered, InitialBufferSize))];
            Buffer.BlockCopy(_buffer, _start, target, 0, buffered);
            _buffer = target;
            _start = 0;
            _end = buffered;
        }
        int read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
        _end += read;
        return read;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Starts the wait for a response head: past <paramref name="deadline"/>, <see cref="AbortIfOverdue"/> ends it.</summary>
    public void StartDeadline(long deadline) => Volatile.Write(ref _deadline, deadline);

    /// <summary>Ends the wait for a response head; false when it had already timed out.</summary>
    public bool StopDeadline() => Interlocked.Exchange(ref _deadline, NoDeadline) != Expired;

    /// <summary>Called by the pool's periodic scan: aborts the exchange when its response head is overdue.</summary>
    public void AbortIfOverdue(long now)
    {
        long deadline = Volatile.Read(ref _deadline);
        if (deadline > 0 && now >= deadline && Interlocked.CompareExchange(ref _deadline, Expired, deadline) == deadline)
        {
            TimedOut = true;
            Abort();
        }
    }

    /// <summary>Closes the socket, failing any pending send or receive; safe from any thread, any number of times.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            _socket.Dispose();
        }
    }

    public void Dispose() => Abort();
}
