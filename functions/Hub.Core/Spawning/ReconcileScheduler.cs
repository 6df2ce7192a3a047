using Hub.Core.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning;

/// <summary>
/// Keeps servers moving in this process: each server is stepped when its next step is due (the time the last step
/// returned), many servers at once, and every <see cref="SpawnerOptions.ReconcileInterval"/> a full sweep runs (the
/// first one at start-up, which re-adopts the servers a previous process left running or half-started, once the
/// store's tables exist when a <see cref="StoreReadiness"/> is registered). Steps never wait for Azure inside a worker:
/// a throttled or provisioning server is simply due later.
/// </summary>
public sealed class ReconcileScheduler(
    ServerReconciler reconciler,
    ReconcileSweep sweep,
    SpawnerOptions options,
    TimeProvider time,
    ILogger<ReconcileScheduler> logger,
    StoreReadiness? storeReadiness = null) : BackgroundService
{
    /// <summary>Steps in progress at once in this process.</summary>
    public const int MaxParallelSteps = 64;

    private static readonly TimeSpan LongestIdleWait = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly PriorityQueue<ServerKey, DateTimeOffset> _queue = new();
    private readonly Dictionary<ServerKey, DateTimeOffset> _due = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly TaskCompletionSource _firstSweep = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when the first sweep of this process has run (it adopts or cleans up what the store records from
    /// before), so that whoever needs the store settled, such as a test writing records, can wait for it.
    /// </summary>
    public Task FirstSweep => _firstSweep.Task;
    private readonly SemaphoreSlim _slots = new(MaxParallelSteps);

    /// <summary>Steps <paramref name="server"/> at <paramref name="due"/> (or earlier if it is already due earlier).</summary>
    public void Schedule(ServerKey server, DateTimeOffset due)
    {
        lock (_gate)
        {
            if (_due.TryGetValue(server, out var existing) && existing <= due)
            {
                return;
            }
            _due[server] = due;
            _queue.Enqueue(server, due);
        }
        _wake.Release();
    }

    /// <summary>Steps <paramref name="server"/> as soon as a worker is free.</summary>
    public void ScheduleNow(ServerKey server) => Schedule(server, time.GetUtcNow());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var sweeps = SweepPeriodicallyAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var (server, wait) = TakeDue();
                if (server is { } due)
                {
                    await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                    _ = RunStepAsync(due, stoppingToken);
                    continue;
                }
                await _wake.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await sweeps.ConfigureAwait(false);
    }

    private (ServerKey? Server, TimeSpan Wait) TakeDue()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            while (_queue.TryPeek(out var server, out var due))
            {
                if (!_due.TryGetValue(server, out var current) || current != due)
                {
                    _queue.Dequeue(); // superseded by an earlier schedule
                    continue;
                }
                if (due > now)
                {
                    var wait = due - now;
                    return (null, wait < LongestIdleWait ? wait : LongestIdleWait);
                }
                _queue.Dequeue();
                _due.Remove(server);
                return (server, TimeSpan.Zero);
            }
        }
        return (null, LongestIdleWait);
    }

    private async Task RunStepAsync(ServerKey server, CancellationToken stoppingToken)
    {
        try
        {
            if (await reconciler.StepAsync(server, stoppingToken).ConfigureAwait(false) is { } due)
            {
                Schedule(server, due);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task SweepPeriodicallyAsync(CancellationToken stoppingToken)
    {
        if (storeReadiness is { IsReady: false })
        {
            SpawnLog.WaitingForStore(logger);
            try
            {
                await storeReadiness.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
        // The first sweep adopts what an earlier process left; retry it quickly until the store answers.
        var retry = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await TrySweepAsync(stoppingToken).ConfigureAwait(false))
            {
                _firstSweep.TrySetResult();
                break;
            }
            await DelayAsync(retry, stoppingToken).ConfigureAwait(false);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
        using var timer = new PeriodicTimer(options.ReconcileInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await TrySweepAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TrySweepAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sweep.RunAsync(Schedule, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception ex)
        {
            SpawnLog.SweepFailed(logger, ex);
            return false;
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
