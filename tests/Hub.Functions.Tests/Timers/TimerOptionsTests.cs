using Hub.Core.Configuration;
using Hub.Functions.Timers;
using Microsoft.Extensions.Configuration;

namespace Hub.Functions.Tests.Timers;

public sealed class TimerOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValidSixFieldSchedules()
    {
        var problems = new SettingsProblems();

        new TimerOptions().Validate(problems);

        Assert.False(problems.Any);
    }

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("every 5 minutes")]
    [InlineData("0 */5 * * * * *")]
    [InlineData("00:05:00")]
    public void Validate_NotSixFieldNcrontab_NamesTheKey(string schedule)
    {
        var problems = new SettingsProblems();

        new TimerOptions { CullIdleSchedule = schedule }.Validate(problems);

        Assert.StartsWith("TIMER_SCHEDULE_CULL_IDLE must be a six-field NCRONTAB schedule", Assert.Single(problems.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadPrewarmSchedule_NamesItsKey()
    {
        var problems = new SettingsProblems();

        new TimerOptions { PrewarmSchedule = "*/1 * * * *" }.Validate(problems);

        Assert.StartsWith("TIMER_SCHEDULE_PREWARM must be a six-field NCRONTAB schedule", Assert.Single(problems.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_FlatScheduleNames_AreRead_AndTheFormerNamesAreRefusedWithTheNewOne()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TIMER_SCHEDULE_RECONCILE"] = "15 * * * * *",
            ["Timers:CullIdleSchedule"] = "0 */5 * * * *",
        }).Build();
        var problems = new SettingsProblems();

        var options = SettingsBinder.Bind<TimerOptions>(configuration, problems);

        Assert.Equal("15 * * * * *", options.ReconcileSchedule);
        Assert.Equal("Timers__CullIdleSchedule was renamed to TIMER_SCHEDULE_CULL_IDLE: set that instead", Assert.Single(problems.Messages));
    }
}
