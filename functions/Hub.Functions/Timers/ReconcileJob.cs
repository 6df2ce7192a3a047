using Hub.Core.Spawning;

namespace Hub.Functions.Timers;

/// <summary>
/// The <c>reconcile</c> timer: one sweep of the spawning reconcile loop (orphaned resources removed, dead servers
/// noticed, stale routes removed, every server on its way up or down stepped once), served like every timer at
/// <c>POST /reconcile</c>. Each instance also sweeps on its own every <c>Spawner__ReconcileInterval</c>; a timer run
/// that arrives during a sweep shares it, so the two never cost more than one sweep at a time.
/// </summary>
public sealed class ReconcileJob(ReconcileSweep sweep, ReconcileScheduler scheduler, TimerOptions timers) : ITimerJob
{
    public const string FunctionName = "reconcile";

    public string Name => FunctionName;

    public string Schedule => timers.ReconcileSchedule;

    /// <summary>A call during a sweep waits for a sweep that starts after it (the reconcile endpoint's promise), never skips.</summary>
    public bool CoalescesOverlappingRuns => true;

    public async Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        // Servers the sweep leaves due later go back to this instance's scheduler, which steps them on time.
        var report = await sweep.RunAsync(scheduler.Schedule, cancellationToken).ConfigureAwait(false);
        return report.ToLines();
    }
}
