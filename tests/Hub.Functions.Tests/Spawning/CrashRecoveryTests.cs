using Hub.ArmDouble;
using Hub.Azure.Store;
using Hub.Core.Store;
using Hub.Functions.Tests.Timers;
using Hub.Testing;
using Hub.Testing.Spawning;

namespace Hub.Functions.Tests.Spawning;

/// <summary>
/// The real control-plane process killed in the middle of a spawn, then started again: the server ends up running
/// exactly once, with nothing duplicated or left behind.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CrashRecoveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);
    private readonly string _data = Directory.CreateTempSubdirectory("hub-crash-").FullName;
    private readonly string _prefix = AzuriteFixture.UniqueTableName("cr");
    private TableHubStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new TableHubStore(azurite.Tables, _prefix);
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await LocalServers.StopAllAsync(_data);
        Directory.Delete(_data, recursive: true);
    }

    private Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = _prefix,
            ["Hub:DataDirectory"] = _data,
            ["Spawner:ReconcileInterval"] = "00:00:02",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>A start as the REST API would record it; the control plane picks it up at its start-up sweep.</summary>
    private async Task<ServerKey> RequestStartAsync(string user)
    {
        await _store.Users.CreateAsync(new UserRecord { Name = user, Created = DateTimeOffset.UtcNow });
        await _store.Servers.CreateAsync(new ServerRecord
        {
            User = user, Desired = ServerDesiredState.Running, Phase = ServerPhase.Queued,
            Requested = DateTimeOffset.UtcNow, PhaseSince = DateTimeOffset.UtcNow,
        });
        return new ServerKey(user, "");
    }

    private async Task<ServerRecord> WaitForPhaseAsync(ServerKey server, ServerPhase phase, string why)
    {
        ServerRecord? record = null;
        await Eventually.UntilAsync(async () => (record = await _store.Servers.GetAsync(server))?.Phase == phase, Recovery, why, TimeSpan.FromMilliseconds(100));
        return record!;
    }

    private async Task StopAsync(ControlPlaneProcess controlPlane, ServerKey server)
    {
        await _store.Servers.ChangeAsync(server, r => r with { Desired = ServerDesiredState.Stopped });
        (await controlPlane.Client.PostTimerAsync(TimerRequests.HeaderFor(_data), "reconcile")).EnsureSuccessStatusCode();
        await WaitForPhaseAsync(server, ServerPhase.Stopped, $"{server} to stop");
    }

    [Fact]
    public async Task Crash_WhileGroupProvisions_RestartFinishesTheSameGroup()
    {
        await using var arm = await ArmDouble.ArmDouble.StartAsync(new ArmDoubleOptions { ProvisioningLatency = TimeSpan.FromSeconds(3) });
        var settings = Settings(ArmDoubleSettings.For(arm));
        var server = await RequestStartAsync("ivan");

        await using (var first = await ControlPlaneProcess.StartAsync(settings))
        {
            await Eventually.UntilAsync(() => arm.Count("group-create") == 1, Recovery, "the group to be created");
            await first.CrashAsync();
        }
        var orphaned = await _store.Servers.GetAsync(server);
        await using var second = await ControlPlaneProcess.StartAsync(settings);
        var running = await WaitForPhaseAsync(server, ServerPhase.Running, "the restarted control plane to finish the start");
        var route = await _store.Routes.GetAsync(server);

        Assert.Equal(ServerPhase.Creating, orphaned!.Phase);
        Assert.Equal(1, arm.Count("group-create"));
        Assert.Equal(["hub-ivan"], arm.GroupNames);
        Assert.Equal(running.TokenNonce, route!.TokenNonce);
        Assert.StartsWith("http://127.", route.Target.AbsoluteUri, StringComparison.Ordinal);
        await StopAsync(second, server);
        Assert.Empty(arm.GroupNames);
        Assert.Empty(arm.Problems);
    }

    [Fact]
    public async Task Crash_BeforeTheCreateAnswered_RestartRepeatsTheSameCreateNotASecond()
    {
        await using var arm = await ArmDouble.ArmDouble.StartAsync(new ArmDoubleOptions { CreateResponseDelay = TimeSpan.FromSeconds(30) });
        var settings = Settings(ArmDoubleSettings.For(arm));
        var server = await RequestStartAsync("judy");

        await using (var first = await ControlPlaneProcess.StartAsync(settings))
        {
            await Eventually.UntilAsync(() => arm.Count("group-create") == 1, Recovery, "the group to be accepted");
            await first.CrashAsync();
        }
        var orphaned = await _store.Servers.GetAsync(server);
        await using var second = await ControlPlaneProcess.StartAsync(settings);
        await WaitForPhaseAsync(server, ServerPhase.Running, "the restarted control plane to finish the start");

        Assert.Null(orphaned!.Launched); // the crash came before the create was recorded as accepted
        Assert.Equal(1, arm.Count("group-create"));
        Assert.Equal(1, arm.Count("group-update")); // the repeated PUT found the group: same name, same body
        Assert.Equal(["hub-judy"], arm.GroupNames);
        await StopAsync(second, server);
        Assert.Empty(arm.Problems);
    }

    [Fact]
    public async Task Crash_AfterJupyterWasLaunched_RestartAdoptsThatProcess()
    {
        var server = await RequestStartAsync("kate");
        string pidFile = Path.Combine(_data, "servers", "kate", "pid");

        await using (var first = await ControlPlaneProcess.StartAsync(Settings()))
        {
            await Eventually.UntilAsync(() => File.Exists(pidFile), Recovery, "Jupyter to be launched", TimeSpan.FromMilliseconds(20));
            await first.CrashAsync();
        }
        int launched = LocalServers.PidOf(_data, server);
        bool answeredBeforeCrash = (await _store.Servers.GetAsync(server))!.Phase == ServerPhase.Running;
        await using var second = await ControlPlaneProcess.StartAsync(Settings());
        await WaitForPhaseAsync(server, ServerPhase.Running, "the restarted control plane to finish the start");

        Assert.False(answeredBeforeCrash);
        Assert.Equal(launched, LocalServers.PidOf(_data, server));
        Assert.True(LocalServers.IsAlive(launched));
        Assert.Equal(1, LocalServers.CountJupyterProcesses(_data, "/user/kate/"));
        await StopAsync(second, server);
        Assert.False(LocalServers.IsAlive(launched));
    }

    [Fact]
    public async Task Crash_AsSoonAsTheStartIsInFlight_RestartRunsOneJupyterMatchingThePidFile()
    {
        var server = await RequestStartAsync("mona");
        await using (var first = await ControlPlaneProcess.StartAsync(Settings()))
        {
            // The moment the control plane has taken the start up: before or just after Jupyter's launch, whichever
            // this machine's speed gives; the restart must converge from either.
            await Eventually.UntilAsync(async () => (await _store.Servers.GetAsync(server))?.Phase is not ServerPhase.Queued,
                Recovery, "the start to be taken up", TimeSpan.FromMilliseconds(20));
            await first.CrashAsync();
        }
        var orphaned = (await _store.Servers.GetAsync(server))!;

        await using var second = await ControlPlaneProcess.StartAsync(Settings());
        var running = await WaitForPhaseAsync(server, ServerPhase.Running, "the restarted control plane to finish the start");
        // A second launch would show as a second process (the crashed one's child outlives it) or a changed pid file.
        var jupyters = LocalServers.JupyterProcesses(_data, "/user/mona/");
        int pid = LocalServers.PidOf(_data, server);
        var route = await _store.Routes.GetAsync(server);

        Assert.NotEqual(ServerPhase.Running, orphaned.Phase);
        Assert.Equal([pid], jupyters);
        Assert.Equal(running.TokenNonce, route!.TokenNonce);
        await StopAsync(second, server);
        Assert.False(LocalServers.IsAlive(pid));
        Assert.Empty(LocalServers.JupyterProcesses(_data, "/user/mona/"));
    }

    [Fact]
    public async Task Restart_WithARunningServer_KeepsItAndItsRouteThenStopsItCleanly()
    {
        var server = await RequestStartAsync("liam");
        await using (var first = await ControlPlaneProcess.StartAsync(Settings()))
        {
            await WaitForPhaseAsync(server, ServerPhase.Running, "the server to start");
            await first.CrashAsync();
        }
        int pid = LocalServers.PidOf(_data, server);
        var route = await _store.Routes.GetAsync(server);

        await using var second = await ControlPlaneProcess.StartAsync(Settings());
        (await second.Client.PostTimerAsync(TimerRequests.HeaderFor(_data), "reconcile")).EnsureSuccessStatusCode();

        Assert.Equal(ServerPhase.Running, (await _store.Servers.GetAsync(server))!.Phase);
        Assert.Equal(route!.Target, (await _store.Routes.GetAsync(server))!.Target);
        Assert.True(LocalServers.IsAlive(pid));
        Assert.Equal(1, LocalServers.CountJupyterProcesses(_data, "/user/liam/"));
        await StopAsync(second, server);
        Assert.False(LocalServers.IsAlive(pid));
        Assert.Null(await _store.Routes.GetAsync(server));
        Assert.True(Directory.Exists(Path.Combine(_data, "homes", "liam")));
    }
}
