using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Core.Tests.Spawning;

public sealed class SpawnProgressReportTests
{
    private static ServerRecord Record(ServerPhase phase, ServerDesiredState desired = ServerDesiredState.Running) =>
        new() { User = "alice", Phase = phase, Desired = desired };

    [Fact]
    public void For_Queued_SaysThePositionInTheQueue()
    {
        var progress = SpawnProgressReport.For(Record(ServerPhase.Queued), position: 3, queueLength: 12);

        Assert.Equal(3, progress.QueuePosition);
        Assert.Equal("Waiting for a free slot: you are number 3 of 12 in the queue", progress.Message);
        Assert.False(progress.Ready || progress.Failed);
    }

    [Fact]
    public void For_PhasesOnTheWayUp_ProgressGrows()
    {
        var phases = new[] { ServerPhase.Queued, ServerPhase.Creating, ServerPhase.Starting, ServerPhase.WaitingForHttp, ServerPhase.Running };

        var values = phases.Select(p => SpawnProgressReport.For(Record(p), 1, 1).Progress).ToList();

        Assert.Equal(values.Order(), values);
        Assert.Equal(100, values[^1]);
    }

    [Fact]
    public void For_Running_IsTheReadyEventWithTheUrl()
    {
        var progress = SpawnProgressReport.For(Record(ServerPhase.Running), null, 0);

        Assert.True(progress.Ready);
        Assert.Equal("/user/alice/", progress.Url);
    }

    [Fact]
    public void For_Failure_IsTheFailedEventWithTheReason()
    {
        var record = Record(ServerPhase.Stopping, ServerDesiredState.Stopped) with { Failure = "timeout", Message = "Your server did not start within 5 minutes." };

        var progress = SpawnProgressReport.For(record, null, 0);

        Assert.True(progress.Failed);
        Assert.Equal(100, progress.Progress);
        Assert.Equal("Spawn failed: Your server did not start within 5 minutes.", progress.Message);
    }

    [Fact]
    public void For_StoppedWhileStarting_IsCancelled()
    {
        var progress = SpawnProgressReport.For(Record(ServerPhase.Stopping, ServerDesiredState.Stopped), null, 0);

        Assert.True(progress.Failed);
        Assert.StartsWith("Spawn cancelled", progress.Message, StringComparison.Ordinal);
    }
}
