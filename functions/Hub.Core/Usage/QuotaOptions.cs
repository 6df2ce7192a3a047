using System.Globalization;
using Hub.Core.Configuration;

namespace Hub.Core.Usage;

/// <summary>How a period's usage is measured.</summary>
public enum UsageUnit
{
    /// <summary>Hours a server ran, whatever its size.</summary>
    ServerHours,

    /// <summary>Hours weighted by the server's vCPUs.</summary>
    VcpuHours,

    /// <summary>Hours weighted by the server's memory in GB.</summary>
    GbHours,
}

/// <summary>How long a quota period lasts before usage starts again from zero (periods are in UTC).</summary>
public enum UsagePeriodKind
{
    /// <summary>A calendar day.</summary>
    Day,

    /// <summary>Monday to Sunday.</summary>
    Week,

    /// <summary>A calendar month.</summary>
    Month,

    /// <summary>From <see cref="QuotaOptions.TermStart"/> to <see cref="QuotaOptions.TermEnd"/>.</summary>
    Term,
}

/// <summary>
/// Usage caps (2i2c's jupyterhub-usage-quotas, built in): how much each user may run per period. A start over the cap
/// is refused (403); a running server is warned about shortly before and stopped at the cap by the cull run (its files
/// stay). Admins and <see cref="ExemptGroups"/> have no cap. A change takes effect at the next start or cull run;
/// recorded usage is kept whatever the settings (see docs/usage.md).
/// </summary>
public sealed class QuotaOptions : ISettingsSection
{
    public static string Section => "Quota";

    /// <summary>The cap of a user no other rule names, in <see cref="Unit"/> per <see cref="Period"/>; 0: no cap.</summary>
    public double Limit { get; set; }

    /// <summary>What the limits count.</summary>
    public UsageUnit Unit { get; set; } = UsageUnit.ServerHours;

    /// <summary>How long a period lasts.</summary>
    public UsagePeriodKind Period { get; set; } = UsagePeriodKind.Week;

    /// <summary>With <see cref="UsagePeriodKind.Term"/>: the first day of the term (yyyy-MM-dd, UTC).</summary>
    public string TermStart { get; set; } = "";

    /// <summary>With <see cref="UsagePeriodKind.Term"/>: the last day of the term (yyyy-MM-dd, UTC, inclusive).</summary>
    public string TermEnd { get; set; } = "";

    /// <summary>
    /// Caps for members of groups, as <c>group=limit</c> (e.g. <c>cs101=20,cs102=40</c>). A member of several named
    /// groups gets the largest; 0 means no cap.
    /// </summary>
    public IReadOnlyList<string> Groups { get; set; } = [];

    /// <summary>Caps for single users, as <c>user=limit</c>; they win over group caps and <see cref="Limit"/>.</summary>
    public IReadOnlyList<string> Users { get; set; } = [];

    /// <summary>Groups whose members have no cap (admins never have one).</summary>
    public IReadOnlyList<string> ExemptGroups { get; set; } = [];

    /// <summary>How long before the cap the student's pages warn that the server will stop.</summary>
    public TimeSpan WarnBefore { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether any cap is configured.</summary>
    public bool Enabled => Limit > 0 || LimitRules.Parse(Groups).Any(r => r.Value > 0) || LimitRules.Parse(Users).Any(r => r.Value > 0);

    /// <summary>The term's dates as parsed; <c>null</c> when not set or invalid.</summary>
    public (DateTimeOffset Start, DateTimeOffset End)? Term =>
        TryDate(TermStart, out var start) && TryDate(TermEnd, out var end) && end >= start ? (start, end.AddDays(1)) : null;

    public void Validate(SettingsProblems problems)
    {
        if (Limit < 0 || !double.IsFinite(Limit))
        {
            problems.Add("Quota__Limit", $"must be 0 (no cap) or more, not {Limit.ToString(CultureInfo.InvariantCulture)}");
        }
        LimitRules.Validate("Quota__Groups", "group", Groups, problems);
        LimitRules.Validate("Quota__Users", "user", Users, problems);
        foreach (var group in ExemptGroups.Where(g => g.Contains('=', StringComparison.Ordinal)))
        {
            problems.Add("Quota__ExemptGroups", $"lists group names only, not a rule ('{group}')");
        }
        if (WarnBefore < TimeSpan.Zero)
        {
            problems.Add("Quota__WarnBefore", $"must not be negative, not {WarnBefore}");
        }
        bool startOk = TryDate(TermStart, out var start), endOk = TryDate(TermEnd, out var end);
        if (Period == UsagePeriodKind.Term || TermStart.Length > 0 || TermEnd.Length > 0)
        {
            if (!startOk)
            {
                problems.Add("Quota__TermStart", $"must be a date (yyyy-MM-dd){(Period == UsagePeriodKind.Term ? " when Quota__Period is term" : "")}, not '{TermStart}'");
            }
            if (!endOk)
            {
                problems.Add("Quota__TermEnd", $"must be a date (yyyy-MM-dd){(Period == UsagePeriodKind.Term ? " when Quota__Period is term" : "")}, not '{TermEnd}'");
            }
            if (startOk && endOk && end < start)
            {
                problems.Add("Quota__TermEnd", $"must not be before Quota__TermStart ({TermStart})");
            }
        }
    }

    private static bool TryDate(string text, out DateTimeOffset date)
    {
        bool ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
        date = ok ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : default;
        return ok;
    }
}
