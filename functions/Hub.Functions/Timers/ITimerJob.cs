namespace Hub.Functions.Timers;

/// <summary>
/// A job that runs on a schedule: in Azure, a timer function whose trigger the Functions host delivers as
/// <c>POST /{Name}</c>; standalone, the in-process <see cref="TimerScheduler"/> runs it on the same NCRONTAB schedule.
/// Either way <see cref="TimerJobRunner"/> makes sure one job never runs twice at once in this process.
/// </summary>
public interface ITimerJob
{
    /// <summary>The function's name: its function.json folder and the path the host posts to (e.g. <c>cull-idle</c>).</summary>
    string Name { get; }

    /// <summary>The NCRONTAB schedule (six fields, with seconds), as configured in <see cref="TimerOptions"/>.</summary>
    string Schedule { get; }

    /// <summary>
    /// Whether the job coalesces overlapping runs itself (a caller arriving during a run shares one that covers its
    /// call). Then <see cref="TimerJobRunner"/> lets every trigger through instead of skipping those that overlap.
    /// </summary>
    bool CoalescesOverlappingRuns => false;

    /// <summary>Runs once. Returns lines for the function's log. Throws only on a real failure (the run is then reported failed).</summary>
    Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>Who triggered a run.</summary>
public enum TimerTriggerSource
{
    /// <summary>The Azure Functions host, through the timer function.</summary>
    FunctionsHost,

    /// <summary>The in-process scheduler (the app runs by itself).</summary>
    Scheduler,
}

/// <summary>One run of a timer job.</summary>
/// <param name="Source">Who triggered it.</param>
/// <param name="InvocationId">The host's invocation id, if any.</param>
/// <param name="IsPastDue">The host reports the run as late (e.g. after a restart).</param>
/// <param name="ScheduledFor">The occurrence this run is for, when known.</param>
public sealed record TimerInvocation(TimerTriggerSource Source, string? InvocationId = null, bool IsPastDue = false, DateTimeOffset? ScheduledFor = null);
