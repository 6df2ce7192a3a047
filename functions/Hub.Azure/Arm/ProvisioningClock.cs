namespace Hub.Azure.Arm;

/// <summary>
/// How long container groups have recently taken from an accepted create to running, so that each new group is first
/// looked at when it is likely done (one GET) instead of being polled all along. Until enough starts were seen, or
/// when a group is late, the shared list is polled instead.
/// </summary>
internal sealed class ProvisioningClock
{
    private const int Kept = 50;
    private const int Needed = 5;

    private readonly Lock _gate = new();
    private readonly Queue<TimeSpan> _recent = new();

    public void Observe(TimeSpan took)
    {
        lock (_gate)
        {
            _recent.Enqueue(took);
            while (_recent.Count > Kept)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <summary>
    /// The 10th percentile of recent durations: the first look comes when a few groups are done; the rest are
    /// looked at again shortly after, then through the shared list. <c>null</c> until enough were seen.
    /// </summary>
    public TimeSpan? Expected
    {
        get
        {
            lock (_gate)
            {
                if (_recent.Count < Needed)
                {
                    return null;
                }
                var sorted = _recent.Order().ToList();
                return sorted[sorted.Count / 10];
            }
        }
    }
}
