using System.Diagnostics.Metrics;
using Hub.Functions.Metrics;
using Hub.Functions.Timers;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Functions.Tests.Timers;

/// <summary>The per-timer gauges: when a job last completed, and its schedule's period.</summary>
public sealed class TimerMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly IMeterFactory _meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task LastRun_AfterACompletedRun_IsTheRunsEndPerTimer()
    {
        var time = new ManualTimeProvider(Now);
        var job = new RecordingJob("0 */5 * * * *");
        var runner = new TimerJobRunner([job], NullLogger<TimerJobRunner>.Instance, time, new TimerMetrics(_meters, [job]));
        Assert.Empty(Observe("jupyterhub_timer_last_run_timestamp_seconds"));

        time.Advance(TimeSpan.FromSeconds(90));
        var result = await runner.RunAsync(job, new TimerInvocation(TimerTriggerSource.Scheduler), CancellationToken.None);

        Assert.Equal(TimerRunOutcome.Completed, result.Outcome);
        var lastRun = Assert.Single(Observe("jupyterhub_timer_last_run_timestamp_seconds"));
        Assert.Equal(Now.AddSeconds(90).ToUnixTimeSeconds(), lastRun.Value);
        Assert.Equal("test-job", lastRun.Tags["timer"]);
        var period = Assert.Single(Observe("jupyterhub_timer_period_seconds"));
        Assert.Equal(300, period.Value);
    }

    [Fact]
    public async Task LastRun_AfterAFailedRun_IsNotReported()
    {
        var job = new RecordingJob { Fail = true };
        var runner = new TimerJobRunner([job], NullLogger<TimerJobRunner>.Instance, new ManualTimeProvider(Now), new TimerMetrics(_meters, [job]));

        var result = await runner.RunAsync(job, new TimerInvocation(TimerTriggerSource.Scheduler), CancellationToken.None);

        Assert.Equal(TimerRunOutcome.Failed, result.Outcome);
        Assert.Empty(Observe("jupyterhub_timer_last_run_timestamp_seconds"));
    }

    [Theory]
    [InlineData("0 */5 * * * *", 300)]
    [InlineData("*/2 * * * * *", 2)]
    [InlineData("30 * * * * *", 60)]
    [InlineData("0 0 8 * * 1-5", 3 * 24 * 3600)]
    public void PeriodOf_Schedule_IsTheLongestGap(string schedule, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TimerMetrics.PeriodOf(schedule));

    private IReadOnlyList<CollectedMeasurement<double>> Observe(string instrument)
    {
        using var collector = new MetricCollector<double>(_meters, HubMetrics.MeterName, instrument);
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot();
    }
}
