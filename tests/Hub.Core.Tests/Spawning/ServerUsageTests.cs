using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Core.Tests.Spawning;

public sealed class ServerUsageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static ServerRecord Stopping(double startedHoursAgo, long usedSeconds) => new()
    {
        User = "alice",
        Desired = ServerDesiredState.Stopped,
        Phase = ServerPhase.Stopping,
        Started = Now.AddHours(-startedHoursAgo),
        UsedSeconds = usedSeconds,
        Version = "v1",
    };

    [Fact]
    public void EndRun_RunningFor90Minutes_AddsItAndClearsStarted()
    {
        var ended = ServerUsage.EndRun(Stopping(1.5, usedSeconds: 600), Now);

        Assert.Equal(600 + 5400, ended.UsedSeconds);
        Assert.Null(ended.Started);
    }

    [Fact]
    public void EndRun_StopStepRepeatedAfterItsWrite_CountsTheRunOnce()
    {
        // The first step's write stored the ended run; a crash-restarted or second instance reads that record back.
        var stored = ServerUsage.EndRun(Stopping(2, usedSeconds: 0), Now);

        var repeated = ServerUsage.EndRun(stored, Now.AddMinutes(30));

        Assert.Equal(7200, repeated.UsedSeconds);
        Assert.Equal(stored, repeated);
    }

    [Fact]
    public void EndRun_StopStepRepeatedAfterItsWriteFailed_CountsTheRunOnceUntilTheLaterEnd()
    {
        // The first step's write never landed (killed, or another instance wrote first): the stored record still
        // has the run open, so the retry counts it, up to when the retry ends it.
        var stored = Stopping(2, usedSeconds: 100);
        _ = ServerUsage.EndRun(stored, Now);

        var retried = ServerUsage.EndRun(stored, Now.AddMinutes(1));

        Assert.Equal(100 + 7200 + 60, retried.UsedSeconds);
    }

    [Fact]
    public void EndRun_NeverStarted_ChangesNothing()
    {
        var failedStart = Stopping(0, usedSeconds: 42) with { Started = null, Failure = "timeout" };

        Assert.Same(failedStart, ServerUsage.EndRun(failedStart, Now));
    }

    [Fact]
    public void RunSeconds_ClockBehindStarted_IsZero()
    {
        Assert.Equal(0, ServerUsage.RunSeconds(Stopping(-0.1, usedSeconds: 0), Now));
        Assert.Equal(0, ServerUsage.EndRun(Stopping(-0.1, usedSeconds: 0), Now).UsedSeconds);
    }
}
