using Hub.Core.Store;

namespace Hub.Core.Usage;

/// <summary>Where one user stands against their cap in the current period.</summary>
/// <param name="Used">Used so far, in <paramref name="Unit"/>.</param>
/// <param name="Limit">The cap, in <paramref name="Unit"/>.</param>
/// <param name="Period">The current period; usage starts again from zero at its end.</param>
/// <param name="RatePerHour">How fast the running servers add to <paramref name="Used"/> (0 when none runs).</param>
/// <param name="Running">The servers still running.</param>
public sealed record QuotaStatus(double Used, double Limit, UsageUnit Unit, UsagePeriod Period, double RatePerHour, IReadOnlyList<RunningServer> Running)
{
    public double Remaining => Math.Max(0, Limit - Used);

    public bool Reached => Used >= Limit;

    /// <summary>When the running servers reach the cap at their current rate; <c>null</c> when none runs or the period ends first.</summary>
    public DateTimeOffset? CapAt(DateTimeOffset now)
    {
        if (RatePerHour <= 0)
        {
            return null;
        }
        var at = now + TimeSpan.FromHours(Remaining / RatePerHour);
        return at < Period.End ? at : null;
    }

    /// <summary>The sentence a student reads when a start is refused.</summary>
    public string RefusalMessage() =>
        $"You have used {UsageText.Amount(Used)} of your {UsageText.Amount(Limit)} {UsageUnits.Name(Unit)} for this period; " +
        $"you can start a server again after the quota resets at {UsageText.Time(Period.End)}.";
}

/// <summary>Reads the quota rules and the recorded usage together.</summary>
public sealed class Quotas(QuotaPolicy policy, UsageLedger ledger)
{
    public QuotaPolicy Policy => policy;

    /// <summary>The user's standing, or <c>null</c> when they have no cap now (exempt, no rule, outside the term).</summary>
    /// <param name="servers">The user's servers when the caller has just read them; <c>null</c>: read here.</param>
    public async Task<QuotaStatus?> StatusAsync(UserRecord user, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyList<ServerRecord>? servers = null)
    {
        if (policy.LimitFor(user) is not { } limit || policy.PeriodAt(now) is not { } period)
        {
            return null;
        }
        var usage = await ledger.UsageOfAsync(user.Name, period, now, cancellationToken, servers).ConfigureAwait(false);
        return StatusOf(limit, period, usage);
    }

    /// <summary>The user's standing from usage already added up for <see cref="Policy"/>'s current period; <c>null</c> without a cap.</summary>
    public QuotaStatus? StatusOf(UserRecord user, UsagePeriod period, UserUsage usage) =>
        policy.LimitFor(user) is { } limit ? StatusOf(limit, period, usage) : null;

    private QuotaStatus StatusOf(double limit, UsagePeriod period, UserUsage usage)
    {
        var unit = policy.Options.Unit;
        double rate = usage.Running.Sum(r => UsageAmount.RateOf(unit, r.Cpu, r.MemoryInGb));
        return new QuotaStatus(usage.Used.In(unit), limit, unit, period, rate, usage.Running);
    }
}

/// <summary>How amounts and times appear in messages.</summary>
public static class UsageText
{
    public static string Amount(double value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
