using System.Collections.Concurrent;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// A cancellation source for the wait on a backend's response headers: cancelled by the client going away or by the
/// timeout, whichever comes first. Sources are pooled and reused (<see cref="CancellationTokenSource.TryReset"/>), so
/// the request path allocates neither a linked source nor a timer per request.
/// </summary>
internal sealed class ResponseTimeout : IDisposable
{
    private const int MaxPooled = 1024;
    private static readonly ConcurrentQueue<CancellationTokenSource> Pool = new();
    private static int _pooled;

    private readonly CancellationTokenSource _source;
    private CancellationTokenRegistration _clientAborted;

    private ResponseTimeout(CancellationTokenSource source, CancellationToken clientAborted, TimeSpan timeout)
    {
        _source = source;
        _clientAborted = clientAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source);
        _source.CancelAfter(timeout);
    }

    public CancellationToken Token => _source.Token;

    public static ResponseTimeout Start(CancellationToken clientAborted, TimeSpan timeout)
    {
        if (Pool.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref _pooled);
        }
        return new ResponseTimeout(source ?? new CancellationTokenSource(), clientAborted, timeout);
    }

    /// <summary>Stops the timer once the headers are in: bodies and long polls may take as long as they take.</summary>
    public void Stop() => _source.CancelAfter(Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _clientAborted.Dispose();
        if (_source.TryReset() && Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            Pool.Enqueue(_source);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
            _source.Dispose();
        }
    }
}
