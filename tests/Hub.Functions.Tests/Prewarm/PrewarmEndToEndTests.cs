using System.Globalization;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Prewarm;
using Hub.Functions.Tests.Spawning;
using Hub.Functions.Timers;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Prewarm;

/// <summary>
/// Lecture pre-warm with real local Jupyter servers started through the running control plane's lifecycle. The job is
/// the app's own, built from its services with a clock the test moves; the lecture is set a few minutes after now so
/// that the job's clock and the lifecycle's agree.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PrewarmEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task LectureStartingShortly_StartsTheGroupsAndListedServersOnce()
    {
        var now = DateTimeOffset.UtcNow;
        var lecture = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(7);
        string day = lecture.DayOfWeek.ToString()[..3].ToLowerInvariant();
        string at = lecture.ToString("HH:mm", CultureInfo.InvariantCulture);
        await using var hub = await SpawningHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Prewarm:Lectures"] = $"{day} {at} group:course-101; {day} {at} users:Frank,nobody",
            ["Prewarm:TimeZone"] = "UTC",
            ["Prewarm:LeadTime"] = "00:10:00",
            ["Spawner:SlowSpawnTimeout"] = "0s",
        });
        await hub.Store.Users.CreateAsync(new UserRecord { Name = "gina", Created = now, Groups = ["course-101"] });
        await hub.Store.Users.CreateAsync(new UserRecord { Name = "frank", Created = now });
        await hub.Store.Users.CreateAsync(new UserRecord { Name = "henry", Created = now, Groups = ["course-202"] });
        var clock = new ManualTimeProvider(lecture - TimeSpan.FromMinutes(20));
        var job = ActivatorUtilities.CreateInstance<PrewarmJob>(hub.ControlPlane.Services, (TimeProvider)clock);
        var run = new TimerInvocation(TimerTriggerSource.Scheduler);
        var gina = new ServerKey("gina", "");
        var frank = new ServerKey("frank", "");

        var early = await job.RunAsync(run, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(15));
        var due = await job.RunAsync(run, CancellationToken.None);
        var ginaEvents = await hub.WatchToEndAsync(gina, TimeSpan.FromSeconds(90));
        var frankEvents = await hub.WatchToEndAsync(frank, TimeSpan.FromSeconds(90));
        clock.Advance(TimeSpan.FromMinutes(1));
        var again = await job.RunAsync(run, CancellationToken.None);
        await hub.Lifecycle.RequestStopAsync(gina);
        clock.Advance(TimeSpan.FromMinutes(1));
        var afterCull = await job.RunAsync(run, CancellationToken.None);

        Assert.Equal(["No lecture starts within 00:10:00."], early);
        Assert.Equal(2, due.Count);
        Assert.Contains("group:course-101): 1 users; 1 started, 0 already warm, 0 refused by a limit, 0 failed, 0 not users yet.", due[0], StringComparison.Ordinal);
        Assert.Contains("users:Frank,nobody): 2 users; 1 started, 0 already warm, 0 refused by a limit, 0 failed, 1 not users yet.", due[1], StringComparison.Ordinal);
        Assert.True(ginaEvents[^1].Ready, ginaEvents[^1].Message);
        Assert.True(frankEvents[^1].Ready, frankEvents[^1].Message);
        Assert.Null(await hub.Store.Servers.GetAsync(new ServerKey("henry", "")));
        Assert.All(again.Concat(afterCull), line => Assert.Contains(" 0 started, 1 already warm", line, StringComparison.Ordinal));
        Assert.NotEqual(ServerDesiredState.Running, (await hub.RecordAsync(gina)).Desired);
    }

    [Fact]
    public async Task NoLectures_StartsNothing()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);
        var job = hub.ControlPlane.Services.GetRequiredService<PrewarmJob>();

        var lines = await job.RunAsync(new TimerInvocation(TimerTriggerSource.Scheduler), CancellationToken.None);

        Assert.Equal(["No lectures are configured (Prewarm__Lectures)."], lines);
    }

    [Fact]
    public async Task PrewarmTimer_IsServedWithItsOwnSchedule()
    {
        await using var hub = await SpawningHub.StartAsync(azurite, new Dictionary<string, string?> { ["TIMER_SCHEDULE_PREWARM"] = "15 */2 * * * *" });
        var runner = hub.ControlPlane.Services.GetRequiredService<TimerJobRunner>();

        Assert.Equal("15 */2 * * * *", runner.Find("prewarm")?.Schedule);
        Assert.Equal(["cull-idle", "prewarm", "reconcile"], runner.Jobs.Select(j => j.Name).Order());
    }
}
