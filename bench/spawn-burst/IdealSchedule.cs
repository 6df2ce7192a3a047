using Hub.ArmDouble;

namespace SpawnBurst;

/// <summary>
/// When each user's server would be ready if the control plane cost nothing: a client that sends every ARM write the
/// moment ARM's write bucket allows it, first come first served, and sees each group finish the instant it does.
/// Each user needs a share PUT and a group PUT (writes); a provisioning attempt takes the latency; an attempt the
/// double failed costs another latency and another group PUT (the delete has its own bucket). What is left between
/// this and the measured time is the control plane's own overhead.
/// </summary>
internal static class IdealSchedule
{
    public static IReadOnlyDictionary<string, DateTimeOffset> Compute(
        IReadOnlyDictionary<string, DateTimeOffset> presses,
        IReadOnlyDictionary<string, IReadOnlyList<bool>> attemptsFailed,
        TimeSpan latency,
        double burst,
        double perSecond,
        DateTimeOffset bucketFullAt)
    {
        var bucket = new SimulatedBucket(burst, perSecond, bucketFullAt);
        // (request time, order) -> (user, step): step 0 = share PUT, k >= 1 = group PUT of attempt k.
        var queue = new PriorityQueue<(string User, int Step), (DateTimeOffset At, long Order)>();
        long order = 0;
        foreach (var (user, press) in presses)
        {
            queue.Enqueue((user, 0), (press, order++));
        }
        var ready = new Dictionary<string, DateTimeOffset>();
        while (queue.TryDequeue(out var item, out var priority))
        {
            var granted = bucket.Take(priority.At);
            if (item.Step == 0)
            {
                queue.Enqueue((item.User, 1), (granted, order++));
                continue;
            }
            var failed = attemptsFailed.GetValueOrDefault(item.User) ?? [false];
            var finished = granted + latency;
            if (item.Step < failed.Count && failed[item.Step - 1])
            {
                queue.Enqueue((item.User, item.Step + 1), (finished, order++));
            }
            else
            {
                ready[item.User] = finished;
            }
        }
        return ready;
    }

    /// <summary>ARM's token bucket, granting in the order asked.</summary>
    private sealed class SimulatedBucket(double capacity, double perSecond, DateTimeOffset fullAt)
    {
        private double _tokens = double.PositiveInfinity; // full: capped at the capacity on first use
        private DateTimeOffset _time = fullAt;

        public DateTimeOffset Take(DateTimeOffset asked)
        {
            var at = asked > _time ? asked : _time;
            _tokens = Math.Min(capacity, _tokens + (at - _time).TotalSeconds * perSecond);
            _time = at;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return at;
            }
            var wait = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
            _tokens = 0;
            _time = at + wait;
            return _time;
        }
    }

    /// <summary>Per group, whether each attempt failed, from the double's log.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<bool>> AttemptsOf(IEnumerable<GroupAttempt> attempts) =>
        attempts.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => (IReadOnlyList<bool>)g.OrderBy(a => a.Attempt).Select(a => a.Failed).ToList());
}
