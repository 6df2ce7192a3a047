using System.Diagnostics;
using Hub.Core.Store;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning;

/// <summary>
/// One pass over everything (the reconcile timer's work, also run by this instance on its own schedule): removes
/// resources no active record owns (orphans), notices running servers whose resources are gone, removes routes of
/// servers that are not running, and steps every server that is on its way up or down. Concurrent callers share the
/// pass in progress, so calling it often costs no more than one pass at a time.
/// </summary>
public sealed class ReconcileSweep(IHubStore store, ServerReconciler reconciler, ILogger<ReconcileSweep> logger)
{
    /// <summary>Servers stepped at once during a sweep.</summary>
    public const int ParallelSteps = 16;

    private readonly SemaphoreSlim _one = new(1, 1);
    private long _requested;
    private long _coveredUpTo;
    private SweepReport? _last;

    /// <summary>
    /// Runs a sweep that starts after this call, or shares one: callers arriving while a sweep runs wait for it and
    /// then share a single new sweep, so calling often costs at most one sweep at a time.
    /// </summary>
    /// <param name="followUp">Receives each server's next due time, so that a scheduler can continue where the sweep stopped.</param>
    public async Task<SweepReport> RunAsync(Action<ServerKey, DateTimeOffset>? followUp, CancellationToken cancellationToken)
    {
        long request = Interlocked.Increment(ref _requested);
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is not null && _coveredUpTo >= request)
            {
                return _last;
            }
            long covers = Interlocked.Read(ref _requested);
            // Not cancelled with its caller: a sweep others wait for runs to its end.
            var report = await SweepAsync(followUp, CancellationToken.None).ConfigureAwait(false);
            _last = report;
            _coveredUpTo = covers;
            return report;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<SweepReport> SweepAsync(Action<ServerKey, DateTimeOffset>? followUp, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var spawner = reconciler.Spawner;

        // Resources first, records second: a resource listed here was created after its record became active, so a
        // record read afterwards that is not active really has no claim on it.
        List<SpawnedServer>? resources = null;
        try
        {
            resources = [];
            await foreach (var resource in spawner.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                resources.Add(resource);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SpawnLog.ListFailed(logger, ex.Message);
            resources = null;
        }

        var active = new Dictionary<ServerKey, ServerRecord>();
        await foreach (var record in store.Servers.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            active[record.Key] = record;
        }

        int orphans = 0, died = 0;
        if (resources is not null)
        {
            foreach (var resource in resources.Where(r => !active.ContainsKey(r.Key)))
            {
                // Read again just before removing, to keep the window for a start that began meanwhile small.
                var current = await store.Servers.GetAsync(resource.Key, cancellationToken).ConfigureAwait(false);
                if (current is not null && current.Phase is not (ServerPhase.Stopped or ServerPhase.Failed))
                {
                    continue;
                }
                await spawner.StopAsync(new SpawnerServer(resource.Key, resource.State), cancellationToken).ConfigureAwait(false);
                SpawnLog.OrphanRemoved(logger, resource.Resource, SpawnLog.Name(resource.Key));
                orphans++;
            }

            var present = resources.Select(r => r.Key).ToHashSet();
            foreach (var record in active.Values.Where(r => r.Phase == ServerPhase.Running && !present.Contains(r.Key)))
            {
                if (await reconciler.CheckRunningAsync(record.Key, cancellationToken).ConfigureAwait(false))
                {
                    died++;
                    active[record.Key] = record with { Phase = ServerPhase.Stopping };
                }
            }
        }

        int staleRoutes = 0;
        await foreach (var route in store.Routes.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (active.TryGetValue(route.Key, out var owner) && owner.Desired == ServerDesiredState.Running
                && owner.Phase is ServerPhase.Running or ServerPhase.WaitingForHttp)
            {
                continue;
            }
            var current = await store.Servers.GetAsync(route.Key, cancellationToken).ConfigureAwait(false);
            if (current is { Desired: ServerDesiredState.Running, Phase: ServerPhase.Running or ServerPhase.WaitingForHttp })
            {
                continue;
            }
            await store.Routes.DeleteAsync(route.Key, route.Version, cancellationToken).ConfigureAwait(false);
            SpawnLog.StaleRouteRemoved(logger, SpawnLog.Name(route.Key));
            staleRoutes++;
        }

        // Everything not simply running as wanted, including running servers someone asked to stop.
        var moving = active.Values.Where(r => !(r.Phase == ServerPhase.Running && r.Desired == ServerDesiredState.Running)).Select(r => r.Key).ToList();
        await Parallel.ForEachAsync(moving, new ParallelOptions { MaxDegreeOfParallelism = ParallelSteps, CancellationToken = cancellationToken }, async (server, token) =>
        {
            if (await reconciler.StepAsync(server, token).ConfigureAwait(false) is { } due)
            {
                followUp?.Invoke(server, due);
            }
        }).ConfigureAwait(false);

        var report = new SweepReport(active.Count, moving.Count, orphans, staleRoutes, died, resources is not null, clock.Elapsed);
        SpawnLog.Swept(logger, report.Active, orphans, staleRoutes, died, report.Elapsed);
        return report;
    }
}

/// <summary>What a sweep found and did.</summary>
/// <param name="Active">Active server records.</param>
/// <param name="Stepped">Servers on their way up or down, stepped once.</param>
/// <param name="Orphans">Resources removed because no active record owned them.</param>
/// <param name="StaleRoutes">Routes removed because their server was not running.</param>
/// <param name="Died">Running servers found without resources, now being cleaned up.</param>
/// <param name="ResourcesListed">Whether the spawner's resources could be listed (orphans and deaths are only checked then).</param>
public sealed record SweepReport(int Active, int Stepped, int Orphans, int StaleRoutes, int Died, bool ResourcesListed, TimeSpan Elapsed)
{
    /// <summary>The report as log lines (the Functions host shows them in the invocation log).</summary>
    public IReadOnlyList<string> ToLines() =>
    [
        $"Active servers: {Active}; stepped: {Stepped}.",
        ResourcesListed
            ? $"Orphaned resources removed: {Orphans}; running servers found gone: {Died}."
            : "The spawner's resources could not be listed; orphans and dead servers were not checked.",
        $"Stale routes removed: {StaleRoutes}.",
        $"Took {Elapsed.TotalMilliseconds:0} ms.",
    ];
}
