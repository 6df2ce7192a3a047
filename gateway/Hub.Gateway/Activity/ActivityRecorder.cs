using System.Collections.Concurrent;
using Hub.Core.Store;

namespace Hub.Gateway.Activity;

/// <summary>
/// Collects the latest activity per server in memory, with its kind (what <see cref="ActivityRules"/> counts records
/// one); <see cref="ActivityWriter"/> takes the collected activity and writes it in one batch per interval.
/// </summary>
public sealed class ActivityRecorder(TimeProvider time)
{
    // The kind rides in the lowest bits of the time's ticks (100 ns each, so a few bits cost under a microsecond of
    // precision): one long per server keeps the update a single atomic swap, as cheap as it was without kinds.
    private const int KindBits = 3;
    private const long KindMask = (1 << KindBits) - 1;

    /// <summary>How many kinds fit (a test holds <see cref="ActivityKinds.Count"/> to it).</summary>
    internal const int KindCapacity = 1 << KindBits;

    private ConcurrentDictionary<ServerKey, long> _pending = new();

    /// <summary>Notes activity of <paramref name="kind"/> on <paramref name="server"/> now. Cheap: one dictionary update, no I/O.</summary>
    public void Record(ServerKey server, ActivityKind kind) => Record(server, time.GetUtcNow(), kind);

    public void Record(ServerKey server, DateTimeOffset when, ActivityKind kind) =>
        Volatile.Read(ref _pending).AddOrUpdate(server, static (_, packed) => packed, static (_, old, packed) => Math.Max(old, packed), Pack(when, kind));

    /// <summary>Takes everything recorded since the last call; later activity goes into a fresh batch.</summary>
    public IReadOnlyDictionary<ServerKey, (DateTimeOffset At, ActivityKind Kind)> TakePending()
    {
        var taken = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<ServerKey, long>());
        return taken.ToDictionary(p => p.Key, p => Unpack(p.Value));
    }

    private static long Pack(DateTimeOffset when, ActivityKind kind) => (when.UtcTicks & ~KindMask) | (long)kind;

    private static (DateTimeOffset At, ActivityKind Kind) Unpack(long packed) =>
        (new DateTimeOffset(packed & ~KindMask, TimeSpan.Zero), (ActivityKind)(packed & KindMask));
}
