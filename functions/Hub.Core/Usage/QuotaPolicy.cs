using Hub.Core.Store;

namespace Hub.Core.Usage;

/// <summary>Whose usage is capped, at what, and in which period: the one place that reads the quota rules.</summary>
public sealed class QuotaPolicy(QuotaOptions options)
{
    private readonly IReadOnlyDictionary<string, double> _groups = LimitRules.Parse(options.Groups);
    private readonly IReadOnlyDictionary<string, double> _users = LimitRules.Parse(options.Users);

    public QuotaOptions Options => options;

    /// <summary>
    /// The user's cap in <see cref="QuotaOptions.Unit"/> per period, or <c>null</c> for none: admins and exempt groups
    /// have none; a user rule wins; then the largest cap among the user's named groups (0: none); then the default.
    /// </summary>
    public double? LimitFor(UserRecord user)
    {
        if (user.Admin || user.Groups.Any(options.ExemptGroups.Contains))
        {
            return null;
        }
        if (_users.TryGetValue(user.Name, out double own))
        {
            return own > 0 ? own : null;
        }
        var groupLimits = user.Groups.Where(_groups.ContainsKey).Select(g => _groups[g]).ToList();
        if (groupLimits.Count > 0)
        {
            return groupLimits.Contains(0) ? null : groupLimits.Max();
        }
        return options.Limit > 0 ? options.Limit : null;
    }

    /// <summary>The quota period holding <paramref name="now"/>; <c>null</c> outside a configured term (no cap then).</summary>
    public UsagePeriod? PeriodAt(DateTimeOffset now)
    {
        var period = UsagePeriod.Containing(options.Period, now, options.Term);
        return period is not null && now >= period.Start && now < period.End ? period : null;
    }
}
