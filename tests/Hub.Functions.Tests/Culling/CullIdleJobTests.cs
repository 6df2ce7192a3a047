using System.Diagnostics.Metrics;
using Hub.Azure.Store;
using Hub.Core.Culling;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Culling;
using Hub.Functions.Metrics;
using Hub.Functions.Tests.Auth;
using Hub.Functions.Timers;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Hub.Functions.Tests.Culling;

/// <summary>
/// One cull run over servers stored in Azurite, with a real Kestrel host answering <c>/api/status</c> for them and a
/// clock the test sets: what is stopped, what is kept and why, and that nothing is written for servers that stay.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CullIdleJobTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly ServerTokenSource _tokens = new(Key);
    private readonly ManualTimeProvider _time = new(Now);
    private readonly CapturingLoggerProvider _logs = new();
    private readonly IMeterFactory _meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
    private TableHubStore _store = null!;
    private StatusStubServer _stub = null!;

    public async Task InitializeAsync()
    {
        _store = new TableHubStore(azurite.Tables, AzuriteFixture.UniqueTableName("cull"));
        await _store.InitializeAsync();
        _stub = await StatusStubServer.StartAsync();
    }

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    private (CullIdleJob Job, RecordingServerLifecycle Lifecycle, CullMetrics Metrics) CreateJob(CullerOptions options)
    {
        var lifecycle = new RecordingServerLifecycle(_store);
        var metrics = new CullMetrics(_meters);
        var loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        var probe = new ServerActivityProbe(ServerProbeClient.Create(), _tokens);
        var job = new CullIdleJob(_store, lifecycle, probe, new InactiveUserRemover(_store, options, loggers.CreateLogger<InactiveUserRemover>()),
            options, new TimerOptions(), metrics, _time, loggers.CreateLogger<CullIdleJob>());
        return (job, lifecycle, metrics);
    }

    /// <summary>What an observable instrument of the culler reports now.</summary>
    private IReadOnlyList<CollectedMeasurement<T>> Observe<T>(string instrument) where T : struct
    {
        using var collector = new MetricCollector<T>(_meters, HubMetrics.MeterName, instrument);
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot();
    }

    /// <summary>A running server whose stand-in answers with <paramref name="reported"/> (null: the stand-in does not know it: 404).</summary>
    private async Task<ServerRecord> RunningAsync(string user, TimeSpan startedAgo, TimeSpan? gatewayActivityAgo, StubActivity? reported = null, ServerPhase phase = ServerPhase.Running)
    {
        string nonce = "nonce-" + user;
        var record = new ServerRecord
        {
            User = user,
            Desired = ServerDesiredState.Running,
            Phase = phase,
            Requested = Now - startedAgo - TimeSpan.FromMinutes(1),
            Started = phase == ServerPhase.Running ? Now - startedAgo : null,
            LastActivity = Now - gatewayActivityAgo,
            Target = _stub.Address.AbsoluteUri,
            TokenNonce = nonce,
            SpawnerState = "{\"pid\":1}",
            Message = "a field the culler does not read",
        };
        if (reported is not null)
        {
            _stub.Answer(user, _tokens.TokenFor(record.Key, nonce), reported);
        }
        return (await _store.Servers.CreateAsync(record)).Record!;
    }

    private static TimeSpan Minutes(double m) => TimeSpan.FromMinutes(m);

    [Fact]
    public async Task Run_MixedServers_CountingTraffic_StopsOnlyTheIdleAndThoseOverMaxAge_AndWritesOnlyWhatTheAskedReported()
    {
        var options = new CullerOptions { ActivitySource = ActivitySource.Traffic, IdleTimeout = TimeSpan.FromHours(1), MaxAge = TimeSpan.FromHours(8), Concurrency = 4 };
        var selfActive = await RunningAsync("self-active", Minutes(180), Minutes(120), new StubActivity(Now - Minutes(2)));
        var busy = await RunningAsync("busy", Minutes(180), Minutes(120), new StubActivity(Now - Minutes(120), BusyKernels: 1, IdleKernels: 1));
        var stays = new List<ServerRecord>
        {
            await RunningAsync("active", Minutes(180), Minutes(5)),
            await RunningAsync("young", Minutes(10), null),
            await RunningAsync("queued", Minutes(300), null, phase: ServerPhase.Queued),
            await RunningAsync("creating", Minutes(300), null, phase: ServerPhase.Creating),
        };
        await RunningAsync("idle", Minutes(180), Minutes(120), new StubActivity(Now - Minutes(120), IdleKernels: 2));
        await RunningAsync("never-active", Minutes(120), null, new StubActivity(null));
        await RunningAsync("unreachable", Minutes(180), Minutes(90));
        await RunningAsync("old-and-busy", Minutes(9 * 60), Minutes(1), new StubActivity(Now - Minutes(1), BusyKernels: 1));
        var (job, lifecycle, _) = CreateJob(options);

        var summary = await job.CullAsync(CancellationToken.None);

        Assert.Equal(["idle", "never-active", "old-and-busy", "unreachable"], lifecycle.Stopped.Select(s => s.User).Order());
        Assert.Equal((10, 2, 5, 1, 1, 1, 3, 1, 0), (summary.Active, summary.Pending, summary.Probed, summary.ProbeFailures, summary.KeptActive, summary.KeptBusy,
            summary.CulledIdle, summary.CulledMaxAge, summary.StopFailures));
        foreach (var stayed in stays)
        {
            var now = await _store.Servers.GetAsync(stayed.Key);
            Assert.True(stayed.Version == now!.Version, $"{stayed.User} was written to although it stays");
        }
        var selfActiveNow = (await _store.Servers.GetAsync(selfActive.Key))!;
        Assert.Equal((Now - Minutes(2), ActivityKind.Traffic), (selfActiveNow.LastActivity, selfActiveNow.LastActivityKind));
        var busyNow = (await _store.Servers.GetAsync(busy.Key))!;
        Assert.Equal((Now, ActivityKind.KernelBusy), (busyNow.LastActivity, busyNow.LastActivityKind));
        Assert.Empty(_stub.TrackedRequests);
    }

    [Fact]
    public async Task Run_CountingWhatAPersonDoes_AsksOnlyTheKernels_AnOpenTabsPollingDoesNotKeepAServer()
    {
        var options = new CullerOptions { ActivitySource = ActivitySource.User, IdleTimeout = TimeSpan.FromHours(1), Concurrency = 4 };
        // Jupyter's own last_activity moves with every API call, so a polling tab makes it recent; no kernel ran since.
        await RunningAsync("polled", Minutes(180), Minutes(120), new StubActivity(Now - Minutes(1)));
        await RunningAsync("idle-kernel", Minutes(180), Minutes(120), new StubActivity(Now - Minutes(120), IdleKernels: 1));
        var ran = await RunningAsync("ran-a-cell", Minutes(180), Minutes(120), new StubActivity(Now - Minutes(3), IdleKernels: 1));
        var busy = await RunningAsync("busy", Minutes(180), Minutes(120), new StubActivity(Now - Minutes(120), BusyKernels: 1));
        var (job, lifecycle, _) = CreateJob(options);

        var summary = await job.CullAsync(CancellationToken.None);

        Assert.Equal(["idle-kernel", "polled"], lifecycle.Stopped.Select(s => s.User).Order());
        Assert.Equal((4, 1, 1, 2), (summary.Probed, summary.KeptActive, summary.KeptBusy, summary.CulledIdle));
        Assert.Equal(0, _stub.StatusRequests);
        var ranNow = (await _store.Servers.GetAsync(ran.Key))!;
        Assert.Equal((Now - Minutes(3), ActivityKind.Kernel), (ranNow.LastActivity, ranNow.LastActivityKind));
        var busyNow = (await _store.Servers.GetAsync(busy.Key))!;
        Assert.Equal((Now, ActivityKind.KernelBusy), (busyNow.LastActivity, busyNow.LastActivityKind));
        Assert.Empty(_stub.TrackedRequests);
    }

    [Fact]
    public async Task Run_RecordsChangedBetweenTheQueryAndTheStop_AreDecidedAgain_WhatLandedInBetweenWins()
    {
        var options = new CullerOptions { ActivitySource = ActivitySource.User, IdleTimeout = TimeSpan.FromHours(1), Concurrency = 4 };
        var idleKernel = new StubActivity(Now - Minutes(120), IdleKernels: 1);
        var idle = await RunningAsync("idle", Minutes(180), Minutes(120), idleKernel);
        var getsActive = await RunningAsync("gets-active", Minutes(180), Minutes(120), idleKernel);
        var restarted = await RunningAsync("restarted", Minutes(180), Minutes(120), idleKernel);
        var movedOn = await RunningAsync("moved-on", Minutes(180), Minutes(120), idleKernel);
        // While the culler asks each server, the gateway records activity for one, another is stopped and started
        // again, and a third is written to without becoming active.
        _stub.BeforeAnswer = user => user switch
        {
            "gets-active" => _store.Servers.ChangeAsync(getsActive.Key, r => ActivityMerge.Forward(r, Now - Minutes(1), ActivityKind.Traffic)),
            "restarted" => _store.Servers.ChangeAsync(restarted.Key, r => r with { Phase = ServerPhase.Queued, Requested = Now, Started = null }),
            "moved-on" => _store.Servers.ChangeAsync(movedOn.Key, r => r with { SpawnerState = "{\"pid\":2}" }),
            _ => Task.CompletedTask,
        };
        var (job, lifecycle, _) = CreateJob(options);

        var summary = await job.CullAsync(CancellationToken.None);

        Assert.Equal(["idle", "moved-on"], lifecycle.Stopped.Select(s => s.User).Order());
        Assert.Equal(["gets-active", "moved-on", "restarted"], lifecycle.ChangedBeforeStop.Select(s => s.User).Order());
        Assert.Equal((4, 2, 2, 0), (summary.Probed, summary.KeptActive, summary.CulledIdle, summary.StopFailures));
        var activeNow = (await _store.Servers.GetAsync(getsActive.Key))!;
        Assert.Equal((ServerDesiredState.Running, Now - Minutes(1)), (activeNow.Desired, activeNow.LastActivity));
        var restartedNow = (await _store.Servers.GetAsync(restarted.Key))!;
        Assert.Equal((ServerDesiredState.Running, ServerPhase.Queued), (restartedNow.Desired, restartedNow.Phase));
        var movedOnNow = (await _store.Servers.GetAsync(movedOn.Key))!;
        Assert.Equal((ServerDesiredState.Stopped, "{\"pid\":2}"), (movedOnNow.Desired, movedOnNow.SpawnerState));
        Assert.Equal(ServerDesiredState.Stopped, (await _store.Servers.GetAsync(idle.Key))!.Desired);
    }

    [Fact]
    public async Task Store_ListActiveForCulling_ReadsOnlyActiveServersAndOnlyTheFieldsTheCullerNeeds()
    {
        var running = await RunningAsync("reader", Minutes(30), Minutes(5));
        await _store.Servers.CreateAsync(new ServerRecord { User = "stopped", Phase = ServerPhase.Stopped, Desired = ServerDesiredState.Stopped });

        var listed = new List<ServerRecord>();
        await foreach (var record in _store.Servers.ListActiveForCullingAsync())
        {
            listed.Add(record);
        }

        var only = Assert.Single(listed);
        Assert.Equal(running with { SpawnerState = null, Message = null, PhaseSince = null }, only with { Version = running.Version });
        Assert.NotNull(running.SpawnerState);
    }

    [Fact]
    public async Task Run_ActiveServers_AreNeverAskedAboutTheirActivity()
    {
        await RunningAsync("a1", Minutes(180), Minutes(1), new StubActivity(Now - Minutes(1)));
        await RunningAsync("a2", Minutes(180), Minutes(30), new StubActivity(Now - Minutes(30)));
        var (job, lifecycle, _) = CreateJob(new CullerOptions());

        var summary = await job.CullAsync(CancellationToken.None);

        Assert.Equal((2, 0, 0), (summary.Active, summary.Probed, lifecycle.Stopped.Count));
        Assert.Equal(0, _stub.Requests);
    }

    [Fact]
    public async Task Run_WrongToken_CountsAsNoAnswerAndIsJudgedOnStoredActivity()
    {
        var server = await RunningAsync("mallory", Minutes(180), Minutes(120));
        _stub.Answer("mallory", "not-the-servers-token", new StubActivity(Now));
        var (job, lifecycle, _) = CreateJob(new CullerOptions());

        var summary = await job.CullAsync(CancellationToken.None);

        Assert.Equal((1, 1), (summary.ProbeFailures, summary.CulledIdle));
        Assert.Equal(server.Key, Assert.Single(lifecycle.Stopped));
    }

    [Fact]
    public async Task Run_ManyIdleServers_AsksAtMostConcurrencyAtOnce()
    {
        for (int i = 0; i < 12; i++)
        {
            await RunningAsync($"student{i:00}", Minutes(180), Minutes(120), new StubActivity(Now - Minutes(2), IdleKernels: 1));
        }
        _stub.Latency = TimeSpan.FromMilliseconds(100);
        var (job, lifecycle, _) = CreateJob(new CullerOptions { Concurrency = 3 });

        var summary = await job.CullAsync(CancellationToken.None);

        Assert.Equal((12, 12), (summary.Probed, summary.KeptActive));
        Assert.Empty(lifecycle.Stopped);
        Assert.InRange(_stub.MaxInFlight, 2, 3);
    }

    [Fact]
    public async Task Run_Disabled_StopsNothing()
    {
        await RunningAsync("idle", Minutes(180), Minutes(120));
        var (job, lifecycle, _) = CreateJob(new CullerOptions { Enabled = false });

        var lines = await job.RunAsync(new TimerInvocation(TimerTriggerSource.Scheduler), CancellationToken.None);

        Assert.Contains("Culler__Enabled=false", Assert.Single(lines), StringComparison.Ordinal);
        Assert.Empty(lifecycle.Stopped);
    }

    [Fact]
    public async Task Run_LogsASummaryAndExportsMetrics()
    {
        await RunningAsync("idle", Minutes(180), Minutes(120));
        await RunningAsync("active", Minutes(180), Minutes(1));
        var (job, _, metrics) = CreateJob(new CullerOptions());

        var lines = await job.RunAsync(new TimerInvocation(TimerTriggerSource.Scheduler), CancellationToken.None);

        Assert.Contains("Culled 1: 1 idle, 0 past the max age; 0 stops failed.", lines);
        Assert.Contains("Cull run: 2 active servers (0 pending), 1 asked, 0 kept busy, 1 culled idle", _logs.Text, StringComparison.Ordinal);
        Assert.Contains("Culled idle: Idle", _logs.Text, StringComparison.Ordinal);
        Assert.Equal(1, Observe<long>("jupyterhub_cull_runs_total").Single().Value);
        Assert.Equal(1, Observe<long>("jupyterhub_culled_servers_total").Single(m => m.Tags["reason"] as string == "idle").Value);
        Assert.Equal(2, Observe<double>("jupyterhub_cull_last_run_active_servers").Single().Value);
    }

    [Fact]
    public async Task Run_RemoveInactiveUsers_RemovesOnlyLongInactiveNonAdminsWithoutRunningServers()
    {
        var longAgo = Now - TimeSpan.FromDays(200);
        await _store.Users.CreateAsync(new UserRecord { Name = "gone", Created = longAgo, LastActivity = longAgo });
        await _store.Users.CreateAsync(new UserRecord { Name = "old-admin", Admin = true, Created = longAgo, LastActivity = longAgo });
        await _store.Users.CreateAsync(new UserRecord { Name = "recent", Created = longAgo, LastActivity = Now - TimeSpan.FromDays(3) });
        await _store.Users.CreateAsync(new UserRecord { Name = "still-running", Created = longAgo, LastActivity = longAgo });
        await _store.Servers.CreateAsync(new ServerRecord { User = "gone", Phase = ServerPhase.Stopped, Desired = ServerDesiredState.Stopped });
        await RunningAsync("still-running", TimeSpan.FromMinutes(10), null);
        var (job, _, _) = CreateJob(new CullerOptions { RemoveUsersInactiveFor = TimeSpan.FromDays(90) });

        var summary = await job.CullAsync(CancellationToken.None);

        Assert.Equal(1, summary.UsersRemoved);
        Assert.Null(await _store.Users.GetAsync("gone"));
        Assert.Null(await _store.Servers.GetAsync(new ServerKey("gone", "")));
        Assert.NotNull(await _store.Users.GetAsync("old-admin"));
        Assert.NotNull(await _store.Users.GetAsync("recent"));
        Assert.NotNull(await _store.Users.GetAsync("still-running"));
        Assert.Contains("Removed inactive user gone", _logs.Text, StringComparison.Ordinal);
    }
}
