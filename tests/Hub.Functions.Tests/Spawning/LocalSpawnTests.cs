using System.Net;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Spawning;

/// <summary>Starting and stopping real local Jupyter servers through the running control plane's <see cref="IServerLifecycle"/>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalSpawnTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan SpawnTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Start requests answer "pending" at once instead of waiting for the server.</summary>
    private static readonly Dictionary<string, string?> AnswerAtOnce = new() { ["Spawner:SlowSpawnTimeout"] = "0s" };

    [Fact]
    public async Task Start_LocalJupyter_ExecutesOnePlusOneInAKernelOverItsWebSocket()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);
        await hub.AddUsersAsync("alice");
        var server = new ServerKey("alice", "");

        var started = await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var events = await hub.WatchToEndAsync(server, SpawnTimeout);

        Assert.Contains(started.Status, new[] { StartStatus.Ready, StartStatus.Pending });
        Assert.True(events[^1].Ready, events[^1].Message);
        var route = (await hub.Store.Routes.GetAsync(server))!;
        var record = await hub.RecordAsync(server);
        Assert.Equal(record.TokenNonce, route.TokenNonce);
        string token = hub.ControlPlane.Services.GetRequiredService<ServerTokenSource>().TokenFor(server, route.TokenNonce);
        string result = await KernelSession.ExecuteAsync(route.Target, "/user/alice/", token, "1+1", TimeSpan.FromSeconds(60));
        Assert.Equal("2", result);
    }

    [Fact]
    public async Task Start_ThenStop_ReportsPhasesPublishesAndRemovesTheRouteKeepsTheHome()
    {
        await using var hub = await SpawningHub.StartAsync(azurite, AnswerAtOnce);
        await hub.AddUsersAsync("bob");
        var server = new ServerKey("bob", "");

        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var events = await hub.WatchToEndAsync(server, SpawnTimeout);
        var running = await hub.RecordAsync(server);
        var route = await hub.Store.Routes.GetAsync(server);
        int pid = LocalServers.PidOf(hub.DataDirectory, server);
        string home = Path.Combine(hub.DataDirectory, "homes", "bob");
        await File.WriteAllTextAsync(Path.Combine(home, "work.py"), "print('mine')");

        var stopped = await hub.Lifecycle.RequestStopAsync(server);

        Assert.Equal("/user/bob/", events[^1].Url);
        Assert.Contains(events, e => e.Message == SpawnProgressReport.WaitingForHttpMessage);
        Assert.Equal(events.Select(e => e.Progress).Order(), events.Select(e => e.Progress));
        Assert.Equal((ServerPhase.Running, ServerDesiredState.Running), (running.Phase, running.Desired));
        Assert.Equal(running.Target, route!.Target.AbsoluteUri);
        Assert.Equal(StopStatus.Stopped, stopped.Status);
        Assert.Null(await hub.Store.Routes.GetAsync(server));
        Assert.Equal(ServerPhase.Stopped, (await hub.RecordAsync(server)).Phase);
        Assert.False(LocalServers.IsAlive(pid));
        Assert.Equal("print('mine')", await File.ReadAllTextAsync(Path.Combine(home, "work.py")));
    }

    [Fact]
    public async Task Start_AgainAfterStop_UsesAFreshTokenNonce()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);
        await hub.AddUsersAsync("carol");
        var server = new ServerKey("carol", "");
        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        await hub.WatchToEndAsync(server, SpawnTimeout);
        string first = (await hub.RecordAsync(server)).TokenNonce!;
        await hub.Lifecycle.RequestStopAsync(server);

        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var events = await hub.WatchToEndAsync(server, SpawnTimeout);

        Assert.True(events[^1].Ready);
        Assert.NotEqual(first, (await hub.RecordAsync(server)).TokenNonce);
        Assert.Equal((await hub.RecordAsync(server)).TokenNonce, (await hub.Store.Routes.GetAsync(server))!.TokenNonce);
    }

    [Fact]
    public async Task Requests_InEveryState_AnswerAsJupyterHub()
    {
        await using var hub = await SpawningHub.StartAsync(azurite, AnswerAtOnce);
        await hub.AddUsersAsync("dave");
        var server = new ServerKey("dave", "");

        await Assert.ThrowsAsync<ServerNotStartingException>(async () => await hub.WatchToEndAsync(server, SpawnTimeout));
        var notRunning = await hub.Lifecycle.RequestStopAsync(server);
        var badProfile = await hub.Lifecycle.RequestStartAsync(server, new StartOptions("gpu-monster"));
        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var whilePending = await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        await hub.WatchToEndAsync(server, SpawnTimeout);
        var again = await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var readyAtOnce = await hub.WatchToEndAsync(server, TimeSpan.FromSeconds(5));

        Assert.Equal(StopStatus.Stopped, notRunning.Status);
        Assert.Equal(StartStatus.InvalidOptions, badProfile.Status);
        Assert.Contains("gpu-monster", badProfile.Message, StringComparison.Ordinal);
        Assert.Equal(StartStatus.Pending, whilePending.Status);
        Assert.Equal(StartStatus.AlreadyRunning, again.Status);
        Assert.Equal("dave is already running", again.Message);
        Assert.True(Assert.Single(readyAtOnce).Ready);
        await Assert.ThrowsAsync<InvalidOperationException>(() => hub.Lifecycle.RequestStartAsync(new ServerKey("nobody", ""), StartOptions.Default));
    }

    [Fact]
    public async Task Start_ServerNeverAnswers_FailsWithTheReasonAfterItsAttemptsAndCleansUp()
    {
        await using var hub = await SpawningHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            // A server that answers HTTP, but not Jupyter's status.
            ["LocalProcess:Command"] = "/usr/bin/env HUB_TEST_BASE={base_url} /usr/bin/python3 -m http.server {port} --bind 127.0.0.1",
            ["Limits:HttpTimeout"] = "1s",
            ["Limits:StartAttempts"] = "2",
            ["Spawner:SlowSpawnTimeout"] = "0s",
        });
        await hub.AddUsersAsync("erin");
        var server = new ServerKey("erin", "");

        var started = await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var events = await hub.WatchToEndAsync(server, SpawnTimeout);
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(server)).Phase == ServerPhase.Failed, TimeSpan.FromSeconds(20), "the failed start to be cleaned up");

        Assert.Equal(StartStatus.Pending, started.Status);
        Assert.True(events[^1].Failed);
        Assert.Equal("Spawn failed: Your server did not answer within 1 second.", events[^1].Message);
        Assert.Contains(events, e => e.Message.Contains("Trying again (attempt 2 of 2)", StringComparison.Ordinal));
        var record = await hub.RecordAsync(server);
        Assert.Equal(("http-timeout", 2), (record.Failure, record.Attempts));
        Assert.Equal(0, LocalServers.CountProcessesWithArgument(hub.DataDirectory, "http.server"));
        Assert.Null(await hub.Store.Routes.GetAsync(server));
    }
}
