using Hub.Core.Store;
using Hub.Core.Usage;

namespace Hub.Core.Tests.Usage;

public sealed class QuotaPolicyTests
{
    private static UserRecord User(string name, bool admin = false, params string[] groups) =>
        new() { Name = name, Admin = admin, Created = DateTimeOffset.UnixEpoch, Groups = groups };

    private readonly QuotaPolicy _policy = new(new QuotaOptions
    {
        Limit = 10,
        Groups = ["cs101=20", "cs102=40", "tas=0"],
        Users = ["alice=5"],
        ExemptGroups = ["staff"],
    });

    [Fact]
    public void Limit_UserRuleWins_ThenTheLargestGroup_ThenTheDefault()
    {
        Assert.Equal(5, _policy.LimitFor(User("alice", false, "cs102")));
        Assert.Equal(40, _policy.LimitFor(User("bob", false, "cs101", "cs102")));
        Assert.Equal(20, _policy.LimitFor(User("carol", false, "cs101", "other")));
        Assert.Equal(10, _policy.LimitFor(User("dave")));
    }

    [Fact]
    public void Limit_AdminsExemptGroupsAndZeroRules_HaveNone()
    {
        Assert.Null(_policy.LimitFor(User("alice", admin: true)));
        Assert.Null(_policy.LimitFor(User("erin", false, "cs101", "staff")));
        Assert.Null(_policy.LimitFor(User("frank", false, "cs101", "tas")));
    }

    [Theory]
    [InlineData(UsagePeriodKind.Day, "2026-12-05", "2026-12-05T00:00:00Z", "2026-12-06T00:00:00Z")]
    [InlineData(UsagePeriodKind.Week, "2026-W49", "2026-11-30T00:00:00Z", "2026-12-07T00:00:00Z")]
    [InlineData(UsagePeriodKind.Month, "2026-12", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    public void Period_HoldsNow_InUtc(UsagePeriodKind kind, string name, string start, string end)
    {
        var period = UsagePeriod.Containing(kind, DateTimeOffset.Parse("2026-12-05T19:30:00+02:00"))!;
        Assert.Equal(name, period.Name);
        Assert.Equal(DateTimeOffset.Parse(start), period.Start);
        Assert.Equal(DateTimeOffset.Parse(end), period.End);
    }

    [Fact]
    public void Term_CapsOnlyWithinItsDays()
    {
        var policy = new QuotaPolicy(new QuotaOptions { Limit = 1, Period = UsagePeriodKind.Term, TermStart = "2026-09-01", TermEnd = "2026-12-18" });
        Assert.Null(policy.PeriodAt(DateTimeOffset.Parse("2026-08-31T23:59:59Z")));
        var period = policy.PeriodAt(DateTimeOffset.Parse("2026-12-18T23:00:00Z"))!;
        Assert.Equal(DateTimeOffset.Parse("2026-12-19T00:00:00Z"), period.End);
        Assert.Null(policy.PeriodAt(DateTimeOffset.Parse("2026-12-19T00:00:00Z")));
    }

    [Theory]
    [InlineData("2026-W49", "2026-11-30T00:00:00Z")]
    [InlineData("2026-12", "2026-12-01T00:00:00Z")]
    [InlineData("2026-12-05", "2026-12-05T00:00:00Z")]
    public void Parse_NamedPastPeriods(string text, string start)
    {
        var period = UsagePeriod.Parse(text, DateTimeOffset.UtcNow, null, out string? problem);
        Assert.Null(problem);
        Assert.Equal(DateTimeOffset.Parse(start), period!.Start);
    }

    [Theory]
    [InlineData("fortnight")]
    [InlineData("2026-W60")]
    [InlineData("term")]
    public void Parse_Nonsense_SaysWhy(string text)
    {
        Assert.Null(UsagePeriod.Parse(text, DateTimeOffset.UtcNow, null, out string? problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void Overlap_ClipsARunToThePeriod()
    {
        var day = UsagePeriod.Containing(UsagePeriodKind.Day, DateTimeOffset.Parse("2026-12-05T12:00:00Z"))!;
        Assert.Equal(3600, day.OverlapSeconds(DateTimeOffset.Parse("2026-12-04T23:00:00Z"), DateTimeOffset.Parse("2026-12-05T01:00:00Z")));
        Assert.Equal(0, day.OverlapSeconds(DateTimeOffset.Parse("2026-12-06T01:00:00Z"), DateTimeOffset.Parse("2026-12-06T02:00:00Z")));
    }

    [Fact]
    public void Amount_WeighsHoursBySize()
    {
        var amount = UsageAmount.Of(7200, cpu: 2, memoryInGb: 4);
        Assert.Equal(2, amount.In(UsageUnit.ServerHours));
        Assert.Equal(4, amount.In(UsageUnit.VcpuHours));
        Assert.Equal(8, amount.In(UsageUnit.GbHours));
    }
}
