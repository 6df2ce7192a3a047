using Hub.Azure.Arm;

namespace Hub.Azure.Tests.Spawning;

public sealed class ArmRateLimiterTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Reserve_Writes_AllowsTheBurstThenTenPerSecond()
    {
        var clock = new ManualClock();
        var limiter = new ArmRateLimiter(clock);

        var waits = Enumerable.Range(0, 203).Select(i => limiter.Reserve(ArmOperationKind.Write, "w" + i)).ToList();

        Assert.All(waits.Take(200), wait => Assert.Equal(TimeSpan.Zero, wait));
        Assert.Equal(TimeSpan.FromMilliseconds(100), waits[200]);
        Assert.Equal(TimeSpan.FromMilliseconds(200), waits[201]);
        Assert.Equal(TimeSpan.FromMilliseconds(300), waits[202]);
    }

    [Fact]
    public void Reserve_OneOfTwoInstances_AllowsHalfOfNinetyPercentOfTheBurstThenOfTheRate()
    {
        var clock = new ManualClock();
        var limiter = new ArmRateLimiter(clock, instances: 2);

        var waits = Enumerable.Range(0, 92).Select(i => limiter.Reserve(ArmOperationKind.Write, "w" + i)).ToList();

        // 200 × 0.9 / 2 at once, then 10 × 0.9 / 2 = 4.5 per second.
        Assert.All(waits.Take(90), wait => Assert.Equal(TimeSpan.Zero, wait));
        Assert.Equal(222, (int)waits[90].TotalMilliseconds);
        Assert.Equal(444, (int)waits[91].TotalMilliseconds);
        Assert.Equal(TimeSpan.Zero, new ArmRateLimiter(clock, instances: 500).Reserve(ArmOperationKind.Write, "at least one at once"));
    }

    [Fact]
    public void Reserve_SameKeyAgain_KeepsItsSlotAndGetsItWhenDue()
    {
        var clock = new ManualClock();
        var limiter = new ArmRateLimiter(clock);
        for (int i = 0; i < 200; i++)
        {
            limiter.Reserve(ArmOperationKind.Delete, "d" + i);
        }

        var first = limiter.Reserve(ArmOperationKind.Delete, "late");
        var again = limiter.Reserve(ArmOperationKind.Delete, "late");
        var other = limiter.Reserve(ArmOperationKind.Delete, "later");
        clock.Now += first;
        var due = limiter.Reserve(ArmOperationKind.Delete, "late");

        Assert.Equal(first, again);
        Assert.True(other > first);
        Assert.Equal(TimeSpan.Zero, due);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(ArmOperationKind.Read, "reads have their own budget"));
    }

    [Fact]
    public void Backoff_FirstThrottle_RestartsFromAnEmptyBucketAtTheRefillRate()
    {
        var clock = new ManualClock();
        var limiter = new ArmRateLimiter(clock);

        limiter.Backoff(ArmOperationKind.Write, TimeSpan.FromSeconds(7));
        var first = limiter.Reserve(ArmOperationKind.Write, "a");
        var second = limiter.Reserve(ArmOperationKind.Write, "b");

        // One 429 after a quiet spell is timing jitter against ARM's bucket: a refill interval, not the whole Retry-After.
        Assert.Equal(TimeSpan.FromMilliseconds(100), first);
        Assert.Equal(TimeSpan.FromMilliseconds(200), second);
    }

    [Fact]
    public void Backoff_ThrottledAgainWithinRetryAfter_NothingUntilRetryAfterThenAtTheRefillRate()
    {
        var clock = new ManualClock();
        var limiter = new ArmRateLimiter(clock);
        limiter.Backoff(ArmOperationKind.Write, TimeSpan.FromSeconds(7));
        clock.Now += TimeSpan.FromSeconds(1);

        limiter.Backoff(ArmOperationKind.Write, TimeSpan.FromSeconds(7));
        var first = limiter.Reserve(ArmOperationKind.Write, "a");
        var second = limiter.Reserve(ArmOperationKind.Write, "b");

        Assert.Equal(TimeSpan.FromSeconds(7), first);
        Assert.Equal(TimeSpan.FromSeconds(7.1), second);
    }

    [Fact]
    public void Backoff_WithCallersWaiting_KeepsTheirPlacesAheadOfNewcomers()
    {
        var clock = new ManualClock();
        var limiter = new ArmRateLimiter(clock);
        for (int i = 0; i < 200; i++)
        {
            limiter.Reserve(ArmOperationKind.Write, "w" + i);
        }
        var waiting = new[] { "a", "b", "c" };
        var before = waiting.Select(key => limiter.Reserve(ArmOperationKind.Write, key)).ToList();

        limiter.Backoff(ArmOperationKind.Write, TimeSpan.FromSeconds(5));
        var newcomer = limiter.Reserve(ArmOperationKind.Write, "d");
        var after = waiting.Select(key => limiter.Reserve(ArmOperationKind.Write, key)).ToList();

        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)], before);
        // Behind the pause (one refill interval after a first 429) but in their order, and before the newcomer.
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)], after);
        Assert.Equal(TimeSpan.FromMilliseconds(400), newcomer);
    }

    [Fact]
    public void Backoff_ForTheThrottledCall_GivesItTheFirstSlotAfterThePause()
    {
        var clock = new ManualClock();
        var limiter = new ArmRateLimiter(clock);
        for (int i = 0; i < 200; i++)
        {
            limiter.Reserve(ArmOperationKind.Write, "w" + i);
        }
        limiter.Reserve(ArmOperationKind.Write, "waiting");

        // "w199" was sent and ARM answered 429.
        limiter.Backoff(ArmOperationKind.Write, TimeSpan.FromSeconds(5), throttledKey: "w199");
        var throttled = limiter.Reserve(ArmOperationKind.Write, "w199");
        var waiting = limiter.Reserve(ArmOperationKind.Write, "waiting");

        Assert.Equal(TimeSpan.FromMilliseconds(100), throttled);
        Assert.Equal(TimeSpan.FromMilliseconds(200), waiting);
    }
}
