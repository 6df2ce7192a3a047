using System.Collections.Concurrent;
using Hub.Core.Store;

namespace Hub.Gateway.Activity;

/// <summary>
/// Collects the latest activity time per server in memory (every forwarded request, response chunk and WebSocket
/// frame records one); <see cref="ActivityWriter"/> takes the collected times and writes them in one batch per interval.
/// </summary>
public sealed class ActivityRecorder(TimeProvider time)
{
    private ConcurrentDictionary<ServerKey, long> _pending = new();

    /// <summary>Notes activity on <paramref name="server"/> now. Cheap: one dictionary update, no I/O.</summary>
    public void Record(ServerKey server) => Record(server, time.GetUtcNow());

    public void Record(ServerKey server, DateTimeOffset when) =>
        Volatile.Read(ref _pending).AddOrUpdate(server, static (_, ticks) => ticks, static (_, old, ticks) => Math.Max(old, ticks), when.UtcTicks);

    /// <summary>Takes everything recorded since the last call; later activity goes into a fresh batch.</summary>
    public IReadOnlyDictionary<ServerKey, DateTimeOffset> TakePending()
    {
        var taken = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<ServerKey, long>());
        return taken.ToDictionary(p => p.Key, p => new DateTimeOffset(p.Value, TimeSpan.Zero));
    }
}
