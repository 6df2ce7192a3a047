using Hub.Core.Culling;
using Hub.Core.Store;

namespace Hub.Core.Tests.Culling;

public sealed class CullPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly CullerOptions Options = new() { IdleTimeout = TimeSpan.FromHours(1), MaxAge = TimeSpan.FromHours(8) };

    private static ServerRecord Running(double startedHoursAgo, double? activeMinutesAgo) => new()
    {
        User = "alice",
        Desired = ServerDesiredState.Running,
        Phase = ServerPhase.Running,
        Requested = Now.AddHours(-startedHoursAgo).AddMinutes(-1),
        Started = Now.AddHours(-startedHoursAgo),
        LastActivity = activeMinutesAgo is { } minutes ? Now.AddMinutes(-minutes) : null,
    };

    /// <summary>The decision table: each row a server, what it reported, and the expected outcome.</summary>
    public static TheoryData<string, ServerRecord, ServerActivity?, CullAction, CullReason> Table => new()
    {
        { "active 5 min ago", Running(3, 5), null, CullAction.Keep, CullReason.Active },
        { "idle just under the timeout", Running(3, 59.9), null, CullAction.Keep, CullReason.Active },
        { "idle exactly the timeout", Running(3, 60), null, CullAction.Stop, CullReason.Idle },
        { "idle 2 h", Running(3, 120), null, CullAction.Stop, CullReason.Idle },
        { "never active, started 2 h ago: falls back to start", Running(2, null), null, CullAction.Stop, CullReason.Idle },
        { "never active, started 10 min ago", Running(10.0 / 60, null), null, CullAction.Keep, CullReason.Active },
        { "gateway idle, server itself active 1 min ago", Running(3, 120), new ServerActivity(Now.AddMinutes(-1), 0), CullAction.Keep, CullReason.Active },
        { "gateway active, server reports older activity", Running(3, 5), new ServerActivity(Now.AddHours(-2), 0), CullAction.Keep, CullReason.Active },
        { "idle 2 h but a kernel is busy", Running(3, 120), new ServerActivity(Now.AddHours(-2), 1), CullAction.Keep, CullReason.BusyKernel },
        { "busy kernel past max age", Running(9, 120), new ServerActivity(Now.AddHours(-2), 2), CullAction.Stop, CullReason.MaxAge },
        { "active but past max age", Running(8, 1), null, CullAction.Stop, CullReason.MaxAge },
        { "queued", Running(0, null) with { Phase = ServerPhase.Queued, Started = null }, null, CullAction.Keep, CullReason.Pending },
        { "creating for hours", Running(3, null) with { Phase = ServerPhase.Creating }, null, CullAction.Keep, CullReason.Pending },
        { "waiting for HTTP", Running(3, null) with { Phase = ServerPhase.WaitingForHttp }, null, CullAction.Keep, CullReason.Pending },
        { "stopping", Running(3, 120) with { Phase = ServerPhase.Stopping, Desired = ServerDesiredState.Stopped }, null, CullAction.Keep, CullReason.NotRunning },
        { "stopped", Running(3, 120) with { Phase = ServerPhase.Stopped, Desired = ServerDesiredState.Stopped }, null, CullAction.Keep, CullReason.NotRunning },
        { "failed", Running(3, 120) with { Phase = ServerPhase.Failed }, null, CullAction.Keep, CullReason.NotRunning },
        { "activity in the future (clock skew)", Running(3, -5), null, CullAction.Keep, CullReason.Active },
        { "stop requested, still running", Running(3, 120) with { Desired = ServerDesiredState.Stopped }, null, CullAction.Keep, CullReason.NotRunning },
        { "busy kernel reported without a last activity", Running(3, 120), new ServerActivity(null, 1), CullAction.Keep, CullReason.BusyKernel },
        { "busy kernel and recently active", Running(3, 120), new ServerActivity(Now.AddMinutes(-2), 1), CullAction.Keep, CullReason.Active },
        { "exactly the max age", Running(8, 1) with { Started = Now.AddHours(-8) }, null, CullAction.Stop, CullReason.MaxAge },
        { "no start time, requested 2 h ago", Running(2, null) with { Started = null }, null, CullAction.Stop, CullReason.Idle },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide_Table(string situation, ServerRecord server, ServerActivity? reported, CullAction action, CullReason reason)
    {
        var decision = CullPolicy.Decide(new CullCandidate(server, reported), Now, Options);

        Assert.True((action, reason) == (decision.Action, decision.Reason), $"{situation}: expected {action}/{reason}, got {decision.Action}/{decision.Reason}");
    }

    [Fact]
    public void Decide_MaxAgeOff_NeverStopsActiveServers()
    {
        var options = new CullerOptions { IdleTimeout = TimeSpan.FromHours(1), MaxAge = TimeSpan.Zero };

        var decision = CullPolicy.Decide(new CullCandidate(Running(100, 1)), Now, options);

        Assert.Equal(CullAction.Keep, decision.Action);
    }

    [Fact]
    public void Decide_ReportsIdleTime()
    {
        var decision = CullPolicy.Decide(new CullCandidate(Running(3, 90)), Now, Options);

        Assert.Equal(TimeSpan.FromMinutes(90), decision.Idle);
    }

    [Fact]
    public void UsersToRemove_OnlyLongInactiveNonAdminsWithoutServers()
    {
        var options = new CullerOptions { RemoveUsersInactiveFor = TimeSpan.FromDays(90) };
        UserRecord User(string name, int inactiveDays, bool admin = false) =>
            new() { Name = name, Admin = admin, Created = Now.AddDays(-400), LastActivity = Now.AddDays(-inactiveDays) };
        var users = new[] { User("gone", 100), User("recent", 10), User("admin", 100, admin: true), User("running", 100), User("new", 0) with { LastActivity = null, Created = Now.AddDays(-1) } };
        var servers = new[] { new ServerRecord { User = "running", Desired = ServerDesiredState.Running, Phase = ServerPhase.Running } };

        Assert.Equal(["gone"], CullPolicy.UsersToRemove(users, servers, Now, options));
        Assert.Empty(CullPolicy.UsersToRemove(users, servers, Now, new CullerOptions()));
    }
}
