namespace Hub.Azure.Arm;

/// <summary>The three budgets ARM keeps per subscription and principal.</summary>
public enum ArmOperationKind
{
    Read,
    Write,
    Delete,
}

/// <summary>
/// Paces ARM calls from this process to stay inside ARM's token buckets (per subscription and principal: reads 250
/// with 25 per second, writes and deletes 200 with 10 per second), so a class-start burst is spread over time instead
/// of answered with 429s. It hands out reservations first come first served (a generic cell-rate algorithm): a caller
/// that may not send yet learns how long to wait, and comes back then to find its slot kept. When ARM still answers
/// 429 (other clients share the budget), <see cref="Backoff"/> pauses the kind for the Retry-After.
/// Control-plane instances do not share this state: with <c>instances</c> &gt; 1 each keeps to its share of 90% of
/// the budgets (burst and rate times 0.9, divided by <c>instances</c>), so that together they stay inside ARM's.
/// </summary>
/// <param name="time">The clock.</param>
/// <param name="instances">How many instances spend the same budgets (<see cref="ContainerInstancesOptions.ArmInstances"/>).</param>
public sealed class ArmRateLimiter(TimeProvider time, int instances = 1)
{
    /// <summary>Reservations not claimed within this long after their time are dropped.</summary>
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromSeconds(30);

    private readonly Bucket[] _buckets =
    [
        new(250, 25, instances),  // reads
        new(200, 10, instances),  // writes
        new(200, 10, instances),  // deletes
    ];

    /// <summary>
    /// Claims a slot for <paramref name="key"/> (a resource and operation): <see cref="TimeSpan.Zero"/> means send now;
    /// otherwise come back after the returned wait, when the slot is kept for the same key.
    /// </summary>
    public TimeSpan Reserve(ArmOperationKind kind, string key) => _buckets[(int)kind].Reserve(key, time.GetUtcNow());

    /// <summary>
    /// ARM answered 429. The first 429 in a while means this process's schedule ran a little ahead of ARM's bucket
    /// (timing jitter): the schedule restarts from an empty bucket, one refill interval from now. Another 429 within
    /// the Retry-After means someone else spends the same budget: then nothing of this kind is sent before
    /// <paramref name="retryAfter"/> has passed. Either way the refill rate is kept afterwards, never a burst, and
    /// callers holding reservations keep their order ahead of later ones.
    /// </summary>
    /// <param name="throttledKey">The key of the call ARM refused, if it will be sent again: it was that call's turn,
    /// so it gets the first slot after the pause rather than one behind every caller already waiting.</param>
    public void Backoff(ArmOperationKind kind, TimeSpan retryAfter, string? throttledKey = null) =>
        _buckets[(int)kind].Throttled(time.GetUtcNow(), retryAfter, throttledKey);

    private sealed class Bucket(int burst, int perSecond, int instances)
    {
        // Shared by several instances: each keeps to its share of 90% of the budget, as their schedules are not aligned
        // with each other's nor with ARM's bucket (one instance alone is kept in step by Backoff).
        private static double Share(int instances) => instances <= 1 ? 1 : 0.9 / instances;

        private readonly TimeSpan _interval = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / (perSecond * Share(instances))));
        // A full bucket lets the burst through at once: the first at the theoretical time, the others ahead of it.
        private readonly TimeSpan _tolerance = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / (perSecond * Share(instances)))
            * (Math.Max(1, (int)(burst * Share(instances))) - 1));
        private readonly Dictionary<string, DateTimeOffset> _reserved = [];
        private readonly Lock _gate = new();
        private DateTimeOffset _theoreticalArrival = DateTimeOffset.MinValue;
        private DateTimeOffset _throttledUntil = DateTimeOffset.MinValue;

        public TimeSpan Reserve(string key, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_reserved.TryGetValue(key, out var slot))
                {
                    if (slot <= now)
                    {
                        _reserved.Remove(key);
                        return TimeSpan.Zero;
                    }
                    return slot - now;
                }
                var arrival = _theoreticalArrival > now ? _theoreticalArrival : now;
                var earliest = _theoreticalArrival == DateTimeOffset.MinValue ? now : _theoreticalArrival - _tolerance;
                slot = earliest > now ? earliest : now;
                _theoreticalArrival = arrival + _interval;
                if (slot <= now)
                {
                    return TimeSpan.Zero;
                }
                Prune(now);
                _reserved[key] = slot;
                return slot - now;
            }
        }

        public void Throttled(DateTimeOffset now, TimeSpan retryAfter, string? throttledKey)
        {
            lock (_gate)
            {
                bool repeated = now < _throttledUntil;
                var until = repeated ? now + retryAfter : now + _interval;
                _throttledUntil = now + retryAfter;
                // Callers already waiting keep their places, in order, after the pause. Dropping their reservations
                // sent each to the back of the queue, behind everyone who asked meanwhile: in a class-start burst,
                // one 429 from timing jitter cost some students minutes.
                var next = until;
                if (throttledKey is not null)
                {
                    _reserved.Remove(throttledKey);
                    _reserved[throttledKey] = next;
                    next += _interval;
                }
                foreach (var (key, slot) in _reserved.Where(r => r.Key != throttledKey).OrderBy(r => r.Value).ToList())
                {
                    next = slot > next ? slot : next;
                    _reserved[key] = next;
                    next += _interval;
                }
                var arrival = next + _tolerance;
                if (arrival > _theoreticalArrival)
                {
                    _theoreticalArrival = arrival;
                }
            }
        }

        private void Prune(DateTimeOffset now)
        {
            if (_reserved.Count < 1024)
            {
                return;
            }
            foreach (var stale in _reserved.Where(r => r.Value + ReservationLifetime < now).Select(r => r.Key).ToList())
            {
                _reserved.Remove(stale);
            }
        }
    }
}
