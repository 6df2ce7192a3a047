using System.Security.Cryptography;
using Hub.Azure.Store;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Core.Usage;
using Hub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Core.Tests.Spawning.Lifecycle;

/// <summary>
/// The real spawning stack of the control plane (<see cref="ServerLifecycle"/>, <see cref="ServerReconciler"/>,
/// <see cref="ReconcileScheduler"/>, <see cref="ReconcileSweep"/>) over the real Table store in Azurite, driving a
/// <see cref="ScriptedSpawner"/>. Only the spawner is the test's; the scheduler runs as it does in the app.
/// </summary>
internal sealed class LifecycleRig : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly AzuriteFixture _azurite;
    private readonly TableHubStore _store;
    private readonly ReconcileScheduler _scheduler;

    private LifecycleRig(AzuriteFixture azurite, ScriptedSpawner spawner, LimitsOptions limits, SpawnerOptions options)
    {
        _azurite = azurite;
        _store = new TableHubStore(azurite.Tables, AzuriteFixture.UniqueTableName("lc"));
        Spawner = spawner;
        var time = TimeProvider.System;
        var board = new SpawnBoard(_store, time);
        var signal = new ServerChangeSignal();
        var usage = new UsageLedger(_store, new ServerSizes(options, 1, 2));
        Reconciler = new ServerReconciler(_store, spawner, options, limits, new ServerTokenSource(RandomNumberGenerator.GetBytes(32)),
            new ReadinessProbe(ServerProbeClient.Create()), board, signal, usage, time, NullLogger<ServerReconciler>.Instance);
        Sweep = new ReconcileSweep(_store, Reconciler, NullLogger<ReconcileSweep>.Instance);
        _scheduler = new ReconcileScheduler(Reconciler, Sweep, options, time, NullLogger<ReconcileScheduler>.Instance);
        Lifecycle = new ServerLifecycle(_store, options, limits, board, _scheduler, signal, new AdmitEveryone(), usage, time, NullLogger<ServerLifecycle>.Instance);
    }

    public static readonly ServerKey Server = new("ada", "");

    public IHubStore Store => _store;

    public ScriptedSpawner Spawner { get; }

    public ServerReconciler Reconciler { get; }

    public ReconcileSweep Sweep { get; }

    public IServerLifecycle Lifecycle { get; }

    /// <param name="slowSpawnTimeout">How long a start request waits for the outcome before answering "pending".</param>
    public static async Task<LifecycleRig> StartAsync(AzuriteFixture azurite, ScriptedSpawner spawner, LimitsOptions? limits = null, TimeSpan? slowSpawnTimeout = null)
    {
        var options = new SpawnerOptions
        {
            // Sweeps run when a test asks for one (the first runs at start-up, before any server exists).
            ReconcileInterval = TimeSpan.FromHours(1),
            SlowSpawnTimeout = slowSpawnTimeout ?? TimeSpan.Zero,
            SlowStopTimeout = TimeSpan.Zero,
        };
        var rig = new LifecycleRig(azurite, spawner, limits ?? new LimitsOptions(), options);
        await rig._store.InitializeAsync();
        await rig._store.Users.CreateAsync(new UserRecord { Name = Server.User, Created = DateTimeOffset.UtcNow });
        await rig._scheduler.StartAsync(CancellationToken.None);
        return rig;
    }

    public async Task<ServerRecord> RecordAsync() => (await Store.Servers.GetAsync(Server))!;

    /// <summary>Waits until the server's record satisfies <paramref name="condition"/>; the timeout names <paramref name="what"/> and the last record.</summary>
    public async Task<ServerRecord> UntilAsync(Func<ServerRecord, bool> condition, string what)
    {
        ServerRecord? last = null;
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                last = await Store.Servers.GetAsync(Server);
                return last is not null && condition(last);
            }, Timeout, what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last record: {last}", ex);
        }
        return last!;
    }

    /// <summary>Follows the progress stream to its end.</summary>
    public async Task<IReadOnlyList<SpawnProgress>> WatchToEndAsync()
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        var events = new List<SpawnProgress>();
        await foreach (var progress in Lifecycle.WatchAsync(Server, cancellation.Token))
        {
            events.Add(progress);
        }
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await _scheduler.StopAsync(CancellationToken.None);
        _scheduler.Dispose();
        var service = _azurite.CreateServiceClient();
        await Task.WhenAll(_store.TableNames.Select(name => service.GetTableClient(name).DeleteAsync()));
    }

    /// <summary>Quotas and budgets are not what these tests are about.</summary>
    private sealed class AdmitEveryone : IStartAdmission
    {
        public Task<StartResult?> CheckAsync(UserRecord user, ServerKey server, IReadOnlyList<ServerRecord> servers, CancellationToken cancellationToken) =>
            Task.FromResult<StartResult?>(null);
    }
}
