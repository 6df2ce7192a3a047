using Hub.Functions.Hosting;
using Hub.Functions.Timers;
using Hub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Functions.Tests.Timers;

/// <summary>The in-process scheduler, on a clock the test moves.</summary>
public sealed class TimerSchedulerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static (TimerScheduler Scheduler, RecordingJob Job, ManualTimeProvider Time) Create(int? functionsHostPort = null, bool standalone = true)
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var job = new RecordingJob("0 */5 * * * *");
        var runner = new TimerJobRunner([job], NullLogger<TimerJobRunner>.Instance, time);
        var scheduler = new TimerScheduler(runner, new ControlPlaneOptions { FunctionsCustomHandlerPort = functionsHostPort }, new TimerOptions { RunStandalone = standalone }, time);
        return (scheduler, job, time);
    }

    [Fact]
    public async Task Standalone_RunsEachOccurrenceOfTheSchedule()
    {
        var (scheduler, job, time) = Create();
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.UntilAsync(() => time.PendingTimers == 1, Timeout, "the scheduler to wait for 09:05");
            time.Advance(TimeSpan.FromMinutes(4));
            Assert.Empty(job.Invocations);

            time.Advance(TimeSpan.FromMinutes(1));
            await Eventually.UntilAsync(() => job.Invocations.Count == 1, Timeout, "the 09:05 run");
            await Eventually.UntilAsync(() => time.PendingTimers == 1, Timeout, "the scheduler to wait for 09:10");
            time.Advance(TimeSpan.FromMinutes(5));
            await Eventually.UntilAsync(() => job.Invocations.Count == 2, Timeout, "the 09:10 run");

            Assert.All(job.Invocations, i => Assert.Equal(TimerTriggerSource.Scheduler, i.Source));
            Assert.Equal([new DateTimeOffset(2026, 11, 22, 9, 5, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 22, 9, 10, 0, TimeSpan.Zero)],
                job.Invocations.Select(i => i.ScheduledFor!.Value));
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(7071, true)]
    [InlineData(null, false)]
    public async Task UnderFunctionsHostOrDisabled_NeverSchedules(int? port, bool standalone)
    {
        var (scheduler, job, time) = Create(port, standalone);
        await scheduler.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, time.PendingTimers);
        Assert.Empty(job.Invocations);
        await scheduler.StopAsync(CancellationToken.None);
    }
}
