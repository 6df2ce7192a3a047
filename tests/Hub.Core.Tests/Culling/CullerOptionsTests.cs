using Hub.Core.Configuration;
using Hub.Core.Culling;

namespace Hub.Core.Tests.Culling;

public sealed class CullerOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        var problems = new SettingsProblems();
        new CullerOptions().Validate(problems);
        Assert.False(problems.Any);
    }

    [Fact]
    public void Validate_BadValues_AreEachNamed()
    {
        var problems = new SettingsProblems();

        new CullerOptions { IdleTimeout = TimeSpan.FromSeconds(30), MaxAge = TimeSpan.FromSeconds(10), Concurrency = 0, RemoveUsersInactiveFor = TimeSpan.FromHours(1) }.Validate(problems);

        Assert.Collection(problems.Messages,
            m => Assert.StartsWith("Culler__IdleTimeout must be at least 1 minute", m, StringComparison.Ordinal),
            m => Assert.StartsWith("Culler__MaxAge must be zero (off) or at least Culler__IdleTimeout", m, StringComparison.Ordinal),
            m => Assert.StartsWith("Culler__Concurrency must be from 1 to 100", m, StringComparison.Ordinal),
            m => Assert.StartsWith("Culler__RemoveUsersInactiveFor must be zero (off) or at least 1 day", m, StringComparison.Ordinal));
    }
}
