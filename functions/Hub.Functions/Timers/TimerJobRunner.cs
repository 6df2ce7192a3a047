using System.Collections.Concurrent;
using Hub.Functions.Logging;

namespace Hub.Functions.Timers;

/// <summary>
/// Runs timer jobs so that one job never overlaps itself in this process, whichever trigger (host or scheduler) asks.
/// Across instances the Functions host's timer is a singleton already (a blob lease).
/// </summary>
/// <remarks>Each completed run is recorded in <see cref="TimerMetrics"/> (when given) for its last-run gauge.</remarks>
public sealed class TimerJobRunner(IEnumerable<ITimerJob> jobs, ILogger<TimerJobRunner> logger, TimeProvider time, TimerMetrics? metrics = null)
{
    private readonly IReadOnlyDictionary<string, ITimerJob> _jobs = jobs.ToDictionary(j => j.Name, StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ITimerJob> Jobs => _jobs.Values;

    public ITimerJob? Find(string name) => _jobs.GetValueOrDefault(name);

    /// <summary>
    /// Runs the job unless a run of it is still going; then the new trigger is skipped (and says so). A job that
    /// coalesces overlapping runs itself (<see cref="ITimerJob.CoalescesOverlappingRuns"/>) is always called.
    /// </summary>
    public async Task<TimerRunResult> RunAsync(ITimerJob job, TimerInvocation invocation, CancellationToken cancellationToken)
    {
        SemaphoreSlim? gate = null;
        if (!job.CoalescesOverlappingRuns)
        {
            gate = _gates.GetOrAdd(job.Name, _ => new SemaphoreSlim(1, 1));
            if (!await gate.WaitAsync(TimeSpan.Zero, cancellationToken))
            {
                Log.TimerSkipped(logger, job.Name, invocation.Source);
                return new TimerRunResult(TimerRunOutcome.Skipped, [$"{job.Name}: the previous run is still going; this trigger is skipped."]);
            }
        }
        try
        {
            long started = time.GetTimestamp();
            var lines = await job.RunAsync(invocation, cancellationToken);
            Log.TimerRan(logger, job.Name, invocation.Source, time.GetElapsedTime(started));
            metrics?.RunCompleted(job.Name, time.GetUtcNow());
            return new TimerRunResult(TimerRunOutcome.Completed, lines);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.TimerFailed(logger, job.Name, invocation.Source, ex);
            return new TimerRunResult(TimerRunOutcome.Failed, [$"{job.Name} failed: {ex.Message}"]);
        }
        finally
        {
            gate?.Release();
        }
    }
}

public enum TimerRunOutcome
{
    Completed,
    Skipped,
    Failed,
}

public sealed record TimerRunResult(TimerRunOutcome Outcome, IReadOnlyList<string> Logs);
