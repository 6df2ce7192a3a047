using Hub.Functions.Hosting;

namespace Hub.Functions.Timers;

/// <summary>
/// Runs every timer job on its NCRONTAB schedule when the app runs by itself (no Functions host). Under the host the
/// host owns the schedule and this stays idle, so a job never has two schedulers.
/// </summary>
internal sealed class TimerScheduler(TimerJobRunner runner, ControlPlaneOptions hosting, TimerOptions options, TimeProvider time) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (hosting.FunctionsCustomHandlerPort is not null || !options.RunStandalone)
        {
            return Task.CompletedTask;
        }
        return Task.WhenAll(runner.Jobs.Select(job => RunOnScheduleAsync(job, stoppingToken)));
    }

    private async Task RunOnScheduleAsync(ITimerJob job, CancellationToken stoppingToken)
    {
        var schedule = TimerOptions.TryParse(job.Schedule)
            ?? throw new InvalidOperationException($"{job.Name} has an invalid schedule '{job.Schedule}' (settings validation should have refused it).");
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // Runs are awaited one after another here; the runner also refuses overlap with host-triggered runs.
            await runner.RunAsync(job, new TimerInvocation(TimerTriggerSource.Scheduler, ScheduledFor: next), stoppingToken);
        }
    }
}
