using System.Diagnostics;

namespace UsageRun;

/// <summary>A clock set to a chosen instant (just after a period boundary), moving on in real time from there.</summary>
internal sealed class FixedClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _origin = Stopwatch.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_origin);
}
