using Hub.Core.Configuration;
using Hub.Functions.Timers;

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

        Assert.StartsWith("Timers__CullIdleSchedule must be a six-field NCRONTAB schedule", Assert.Single(problems.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadPrewarmSchedule_NamesItsKey()
    {
        var problems = new SettingsProblems();

        new TimerOptions { PrewarmSchedule = "*/1 * * * *" }.Validate(problems);

        Assert.StartsWith("Timers__PrewarmSchedule must be a six-field NCRONTAB schedule", Assert.Single(problems.Messages), StringComparison.Ordinal);
    }
}
