namespace Hub.ArmDouble;

/// <summary>ARM's throttling model: a bucket of <paramref name="capacity"/> tokens refilled at <paramref name="perSecond"/>; an empty bucket answers 429.</summary>
public sealed class TokenBucket(double capacity, double perSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = double.PositiveInfinity; // full: capped at the capacity on first use
    private DateTimeOffset _refilled = time.GetUtcNow();

    /// <summary>Takes a token; when none is left, false and the time until the next one.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _tokens = Math.Min(capacity, _tokens + (now - _refilled).TotalSeconds * perSecond);
            _refilled = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
            return false;
        }
    }

    /// <summary>Whole tokens left (the <c>x-ms-ratelimit-remaining-*</c> header).</summary>
    public int Remaining
    {
        get
        {
            lock (_gate)
            {
                return (int)Math.Min(capacity, _tokens + (time.GetUtcNow() - _refilled).TotalSeconds * perSecond);
            }
        }
    }
}

/// <summary>A bucket's size and refill rate.</summary>
public sealed record BucketLimits(double Capacity, double PerSecond);
