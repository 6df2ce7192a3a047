using System.Net;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;

namespace Hub.Core.Tests.Spawning.Lifecycle;

/// <summary>
/// The lifecycle and the reconcile loop with spawners that are slow, never ready, or failing: what the student sees,
/// what is left behind, and what the spawner was asked to do.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServerLifecycleTests(AzuriteFixture azurite)
{
    private static readonly ServerKey Server = LifecycleRig.Server;

    [Fact]
    public async Task SlowStart_SweepInTheMiddle_KeepsTheStartWhichThenBecomesReady()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.OK);
        var spawner = new ScriptedSpawner(SpawnerScript.Slow, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner);

        var start = await rig.Lifecycle.RequestStartAsync(Server, StartOptions.Default);
        await rig.UntilAsync(r => r.Phase == ServerPhase.Creating && r.Launched is not null, "the spawner to be creating the server");
        var sweep = await rig.Sweep.RunAsync(followUp: null, CancellationToken.None);
        var during = await rig.RecordAsync();
        spawner.Release();
        var running = await rig.UntilAsync(r => r.Phase == ServerPhase.Running, "the server to run");

        Assert.Equal(StartStatus.Pending, start.Status);
        Assert.True(sweep.ResourcesListed);
        Assert.Equal(0, sweep.Orphans);
        Assert.Equal((ServerDesiredState.Running, ServerPhase.Creating), (during.Desired, during.Phase));
        Assert.Equal(jupyter.Url.AbsoluteUri, running.Target);
        Assert.Equal((1, 0), (spawner.Creations, spawner.Removals));
        Assert.Equal(jupyter.Url, (await rig.Store.Routes.GetAsync(Server))?.Target);
        Assert.True(jupyter.Requests > 0, "the server was probed before it counted as ready");
    }

    [Fact]
    public async Task NeverAnswers_TimesOutWithReason_AndIsCleanedUp()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.ServiceUnavailable);
        var spawner = new ScriptedSpawner(SpawnerScript.Instant, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner, new LimitsOptions { HttpTimeout = TimeSpan.FromSeconds(1), StartAttempts = 1 });

        await rig.Lifecycle.RequestStartAsync(Server, StartOptions.Default);
        var events = await rig.WatchToEndAsync();
        var failed = await rig.UntilAsync(r => r.Phase == ServerPhase.Failed, "the start to fail");

        Assert.True(events[^1].Failed);
        Assert.Equal("Spawn failed: Your server did not answer within 1 second.", events[^1].Message);
        Assert.Equal(("http-timeout", ServerDesiredState.Stopped), (failed.Failure, failed.Desired));
        Assert.True(jupyter.Requests > 1, "the server was probed until the timeout");
        Assert.False(spawner.Exists(Server));
        Assert.Equal((1, 1), (spawner.Creations, spawner.Removals));
        Assert.Null(await rig.Store.Routes.GetAsync(Server));
    }

    [Fact]
    public async Task NeverRuns_TimesOutWithReason_AndIsCleanedUp()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.OK);
        var spawner = new ScriptedSpawner(SpawnerScript.Slow, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner, new LimitsOptions { StartTimeout = TimeSpan.FromSeconds(2) });

        await rig.Lifecycle.RequestStartAsync(Server, StartOptions.Default);
        var events = await rig.WatchToEndAsync();
        var failed = await rig.UntilAsync(r => r.Phase == ServerPhase.Failed, "the start to fail");

        Assert.Equal("Spawn failed: Your server did not start within 2 seconds.", events[^1].Message);
        Assert.Equal("timeout", failed.Failure);
        Assert.False(spawner.Exists(Server));
        Assert.Equal(0, jupyter.Requests);
    }

    [Fact]
    public async Task SpawnerFails_ItsMessageReachesTheStudent_AfterEveryAttempt()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.OK);
        var spawner = new ScriptedSpawner(SpawnerScript.Failing, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner, new LimitsOptions { StartAttempts = 2 }, slowSpawnTimeout: LifecycleRig.Timeout);

        var start = await rig.Lifecycle.RequestStartAsync(Server, StartOptions.Default);
        var events = await rig.WatchToEndAsync();
        var failed = await rig.UntilAsync(r => r.Phase == ServerPhase.Failed, "the failed start to be cleaned up");

        Assert.Equal((StartStatus.Failed, ScriptedSpawner.FailureMessage), (start.Status, start.Message));
        Assert.Equal("Spawn failed: " + ScriptedSpawner.FailureMessage, events.Single().Message);
        Assert.Equal(("failed", ScriptedSpawner.FailureMessage), (failed.Failure, failed.Message));
        Assert.Equal((2, 2), (spawner.Creations, spawner.Removals));
        Assert.False(spawner.Exists(Server));
    }

    [Fact]
    public async Task StopDuringStart_RemovesWhatWasCreated_AndTheStartDoesNotComeBack()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.OK);
        var spawner = new ScriptedSpawner(SpawnerScript.Slow, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner);

        await rig.Lifecycle.RequestStartAsync(Server, StartOptions.Default);
        await rig.UntilAsync(r => r.Phase == ServerPhase.Creating && r.Launched is not null, "the spawner to be creating the server");
        await rig.Lifecycle.RequestStopAsync(Server);
        var stopped = await rig.UntilAsync(r => r.Phase == ServerPhase.Stopped, "the server to stop");
        spawner.Release();
        var next = await rig.Reconciler.StepAsync(Server, CancellationToken.None);

        Assert.Equal((ServerDesiredState.Stopped, null), (stopped.Desired, stopped.Failure));
        Assert.Null(next);
        Assert.Equal(ServerPhase.Stopped, (await rig.RecordAsync()).Phase);
        Assert.False(spawner.Exists(Server));
        Assert.Equal((1, 1), (spawner.Creations, spawner.Removals));
        Assert.Null(await rig.Store.Routes.GetAsync(Server));
        await Assert.ThrowsAsync<ServerNotStartingException>(rig.WatchToEndAsync);
    }

    [Fact]
    public async Task ConcurrentStartsOfOneServer_StartItOnce()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.OK);
        var spawner = new ScriptedSpawner(SpawnerScript.Slow, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner);

        var starts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => rig.Lifecycle.RequestStartAsync(Server, StartOptions.Default))));
        await rig.UntilAsync(r => r.Phase == ServerPhase.Creating && r.Launched is not null, "the spawner to be creating the server");
        spawner.Release();
        var running = await rig.UntilAsync(r => r.Phase == ServerPhase.Running, "the server to run");
        var again = await rig.Lifecycle.RequestStartAsync(Server, StartOptions.Default);

        Assert.All(starts, start => Assert.Equal(StartStatus.Pending, start.Status));
        Assert.Equal(1, running.Attempts);
        Assert.Equal((1, 0), (spawner.Creations, spawner.Removals));
        Assert.Equal(StartStatus.AlreadyRunning, again.Status);
        Assert.Single(await rig.Store.Servers.ListForUserAsync(Server.User).ToListAsync());
    }

    /// <summary>Starts the rig's server and waits until it runs; the culler's partial read of it.</summary>
    private static async Task<ServerRecord> RunningAndReadForCullingAsync(LifecycleRig rig)
    {
        await rig.Lifecycle.RequestStartAsync(Server, StartOptions.Default);
        await rig.UntilAsync(r => r.Phase == ServerPhase.Running, "the server to run");
        return Assert.Single(await rig.Store.Servers.ListActiveForCullingAsync().ToListAsync());
    }

    [Fact]
    public async Task BeginStopIfUnchanged_OnTheCullersPartialRead_StopsWithoutReadingAndKeepsTheRecordsOtherFields()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.OK);
        var spawner = new ScriptedSpawner(SpawnerScript.Instant, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner);
        var read = await RunningAndReadForCullingAsync(rig);
        var full = await rig.RecordAsync();

        var result = await rig.Lifecycle.BeginStopIfUnchangedAsync(read);
        var requested = await rig.RecordAsync();
        var stopped = await rig.UntilAsync(r => r.Phase == ServerPhase.Stopped, "the server to stop");

        Assert.Equal(StopStatus.Pending, result?.Status);
        Assert.Equal(ServerDesiredState.Stopped, requested.Desired);
        Assert.True(requested.Phase is ServerPhase.Running or ServerPhase.Stopping or ServerPhase.Stopped, $"phase {requested.Phase}");
        Assert.Equal((full.Profile, full.Requested, full.TokenNonce, full.Attempts), (stopped.Profile, stopped.Requested, stopped.TokenNonce, stopped.Attempts));
        Assert.Null(stopped.Message);
        Assert.False(spawner.Exists(Server));
        Assert.Null(await rig.Store.Routes.GetAsync(Server));
    }

    [Fact]
    public async Task BeginStopIfUnchanged_ActivityLandedAfterTheRead_WritesNothingAndTheServerKeepsRunning()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.OK);
        var spawner = new ScriptedSpawner(SpawnerScript.Instant, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner);
        var read = await RunningAndReadForCullingAsync(rig);
        var active = await rig.Store.Servers.ChangeAsync(Server, r => ActivityMerge.Forward(r, DateTimeOffset.UtcNow, ActivityKind.Traffic));

        var result = await rig.Lifecycle.BeginStopIfUnchangedAsync(read);

        Assert.Null(result);
        var now = await rig.RecordAsync();
        Assert.Equal((ServerDesiredState.Running, ServerPhase.Running, active!.LastActivity), (now.Desired, now.Phase, now.LastActivity));
        Assert.True(spawner.Exists(Server));
    }

    [Fact]
    public async Task BeginStopIfUnchanged_StoppedAndStartedAgainAfterTheRead_TheNewStartWins()
    {
        await using var jupyter = StatusEndpoint.Start(HttpStatusCode.OK);
        var spawner = new ScriptedSpawner(SpawnerScript.Instant, jupyter.Url);
        await using var rig = await LifecycleRig.StartAsync(azurite, spawner);
        var read = await RunningAndReadForCullingAsync(rig);
        await rig.Lifecycle.RequestStopAsync(Server);
        await rig.UntilAsync(r => r.Phase == ServerPhase.Stopped, "the server to stop");
        var restarted = await RunningAndReadForCullingAsync(rig);

        var result = await rig.Lifecycle.BeginStopIfUnchangedAsync(read);

        Assert.Null(result);
        var now = await rig.RecordAsync();
        Assert.Equal((ServerDesiredState.Running, ServerPhase.Running, restarted.Version), (now.Desired, now.Phase, now.Version));
        Assert.True(spawner.Exists(Server));
        Assert.Equal((2, 1), (spawner.Creations, spawner.Removals));
    }
}
