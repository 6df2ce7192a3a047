using Hub.Core.Configuration;
using Hub.Core.Usage;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Tests.Usage;

public sealed class UsageSettingsTests
{
    [Fact]
    public void Defaults_AreValid_AndCapNothing()
    {
        var problems = new SettingsProblems();
        new QuotaOptions().Validate(problems);
        new BudgetOptions().Validate(problems);
        Assert.False(problems.Any, string.Join("; ", problems.Messages));
        Assert.False(new QuotaOptions().Enabled);
        Assert.False(new BudgetOptions().Enabled);
    }

    [Fact]
    public void BadSettings_AreEachNamed_AtOnce()
    {
        var settings = new AppSettings(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Quota:Limit"] = "-1",
            ["Quota:Unit"] = "furlongs",
            ["Quota:Period"] = "term",
            ["Quota:TermStart"] = "2026-13-01",
            ["Quota:Groups"] = "=20,cs101=,cs102=-3,cs103=5,cs103=6",
            ["Quota:Users"] = "alice",
            ["Budget:Monthly"] = "100",
            ["Budget:Groups"] = "cs101=-5",
        }).Build());

        settings.Add<QuotaOptions>();
        settings.Add<BudgetOptions>();
        string all = string.Join("\n", settings.Problems);

        Assert.Contains("Quota__Limit must be 0 (no cap) or more, not -1", all, StringComparison.Ordinal);
        Assert.Contains("Quota__Unit", all, StringComparison.Ordinal);
        Assert.Contains("furlongs", all, StringComparison.Ordinal);
        Assert.Contains("Quota__TermStart must be a date (yyyy-MM-dd) when Quota__Period is term", all, StringComparison.Ordinal);
        Assert.Contains("Quota__TermEnd must be a date", all, StringComparison.Ordinal);
        Assert.Contains("Quota__Groups has a rule naming no group ('=20')", all, StringComparison.Ordinal);
        Assert.Contains("Quota__Groups has a rule for group 'cs101' without a number", all, StringComparison.Ordinal);
        Assert.Contains("Quota__Groups has a negative amount for group 'cs102'", all, StringComparison.Ordinal);
        Assert.Contains("Quota__Groups names group 'cs103' twice", all, StringComparison.Ordinal);
        Assert.Contains("Quota__Users has a rule for user 'alice' without a number", all, StringComparison.Ordinal);
        Assert.Contains("Budget__Groups has a negative amount for group 'cs101'", all, StringComparison.Ordinal);
        Assert.Contains("Budget__Currency must be set", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_NegativeAndBadCurrency_AreNamed()
    {
        var problems = new SettingsProblems();
        new BudgetOptions { Monthly = -10, Currency = "dollars", PricePerGbHour = -1 }.Validate(problems);
        Assert.Collection(problems.Messages,
            m => Assert.StartsWith("Budget__Monthly must be 0 (none) or more", m, StringComparison.Ordinal),
            m => Assert.StartsWith("Budget__Currency must be a three-letter ISO 4217 code", m, StringComparison.Ordinal),
            m => Assert.StartsWith("Budget__PricePerGbHour must not be negative", m, StringComparison.Ordinal));
    }

    [Fact]
    public void Term_EndBeforeStart_IsNamed()
    {
        var problems = new SettingsProblems();
        new QuotaOptions { Period = UsagePeriodKind.Term, TermStart = "2026-09-01", TermEnd = "2026-08-01", Limit = 10 }.Validate(problems);
        Assert.Equal(["Quota__TermEnd must not be before Quota__TermStart (2026-09-01)"], problems.Messages);
    }
}
