using System.Globalization;
using System.Text;
using Hub.Core.Store;
using Hub.Core.Usage;

namespace Hub.Functions.Usage;

/// <summary>One user's line in a usage report.</summary>
/// <param name="Home">The home's size as last measured (stored on the user record; a report never measures).</param>
/// <param name="HomeMeasured">When it was measured.</param>
public sealed record UserUsageLine(string Name, IReadOnlyList<string> Groups, UsageAmount Used, double Cost, double? Limit, HomeStorageUse? Home = null, DateTimeOffset? HomeMeasured = null);

/// <summary>One group's line: its members' usage together (finished runs count for the groups their owner was in then).</summary>
public sealed record GroupUsageLine(string Name, UsageAmount Used, double Cost, double? Budget);

/// <summary>Usage per user and per group for one period, as the admin page, the API and the CSV export show it.</summary>
public sealed record UsageReport(UsagePeriod Period, UsageUnit Unit, string Currency, IReadOnlyList<UserUsageLine> Users, IReadOnlyList<GroupUsageLine> Groups)
{
    /// <summary>Adds up every user's usage in <paramref name="period"/>; users with no usage are listed with zero.</summary>
    public static async Task<UsageReport> BuildAsync(IHubStore store, UsageLedger ledger, QuotaPolicy quotas, BudgetOptions budget, UsagePeriod period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var byUser = new Dictionary<string, UsageAmount>(StringComparer.Ordinal);
        var byGroup = new Dictionary<string, UsageAmount>(StringComparer.Ordinal);
        foreach (var share in await ledger.AllUsageAsync(period, now, cancellationToken).ConfigureAwait(false))
        {
            byUser[share.User] = byUser.GetValueOrDefault(share.User) + share.Amount;
            foreach (var group in share.Groups)
            {
                byGroup[group] = byGroup.GetValueOrDefault(group) + share.Amount;
            }
        }
        var users = new List<UserUsageLine>();
        await foreach (var user in store.Users.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var used = byUser.GetValueOrDefault(user.Name);
            users.Add(new UserUsageLine(user.Name, user.Groups, used, budget.CostOf(used), quotas.LimitFor(user), user.Home, user.HomeMeasured));
            foreach (var group in user.Groups)
            {
                byGroup.TryAdd(group, UsageAmount.Zero);
            }
        }
        var budgets = LimitRules.Parse(budget.Groups);
        var groups = byGroup.OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new GroupUsageLine(g.Key, g.Value, budget.CostOf(g.Value), budgets.TryGetValue(g.Key, out double b) && b > 0 ? b : null))
            .ToList();
        return new UsageReport(period, quotas.Options.Unit, budget.Currency, users, groups);
    }

    /// <summary>The API's JSON body.</summary>
    public object ToJson() => new Dictionary<string, object?>
    {
        ["period"] = Period.Name,
        ["start"] = Api.ApiJson.Time(Period.Start),
        ["end"] = Api.ApiJson.Time(Period.End),
        ["quota_unit"] = UsageUnits.Name(Unit),
        ["currency"] = Currency.Length > 0 ? Currency : null,
        ["users"] = Users.Select(u => new Dictionary<string, object?>
        {
            ["name"] = u.Name,
            ["groups"] = u.Groups,
            ["server_hours"] = Round(u.Used.ServerHours),
            ["vcpu_hours"] = Round(u.Used.VcpuHours),
            ["gb_hours"] = Round(u.Used.GbHours),
            ["cost"] = Round(u.Cost),
            ["quota_used"] = Round(u.Used.In(Unit)),
            ["quota_limit"] = u.Limit,
            ["home_bytes"] = u.Home?.UsedBytes,
            ["home_quota_bytes"] = u.Home?.QuotaBytes,
            ["home_nearly_full"] = u.Home?.IsNearlyFull ?? false,
            ["home_complete"] = u.Home?.Complete,
            ["home_measured"] = u.HomeMeasured is { } measured ? Api.ApiJson.Time(measured) : null,
        }).ToList(),
        ["groups"] = Groups.Select(g => new Dictionary<string, object?>
        {
            ["name"] = g.Name,
            ["server_hours"] = Round(g.Used.ServerHours),
            ["vcpu_hours"] = Round(g.Used.VcpuHours),
            ["gb_hours"] = Round(g.Used.GbHours),
            ["cost"] = Round(g.Cost),
            ["budget"] = g.Budget,
        }).ToList(),
    };

    /// <summary>One line per user and per group (<c>kind</c> says which), for a spreadsheet.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("kind,name,groups,period,server_hours,vcpu_hours,gb_hours,cost,currency,quota_used,quota_limit,quota_unit,home_bytes,home_quota_bytes\r\n");
        string unit = UsageUnits.Name(Unit);
        foreach (var u in Users)
        {
            Line(csv, "user", u.Name, string.Join(' ', u.Groups), u.Used, u.Cost, Number(u.Used.In(Unit)), u.Limit is { } l ? Number(l) : "", unit,
                u.Home?.UsedBytes.ToString(CultureInfo.InvariantCulture) ?? "", u.Home?.QuotaBytes?.ToString(CultureInfo.InvariantCulture) ?? "");
        }
        foreach (var g in Groups)
        {
            Line(csv, "group", g.Name, "", g.Used, g.Cost, "", "", "", "", "");
        }
        return csv.ToString();

        void Line(StringBuilder to, string kind, string name, string groups, UsageAmount used, double cost, string quotaUsed, string quotaLimit, string quotaUnit, string homeBytes, string homeQuota) =>
            to.Append(kind).Append(',').Append(Field(name)).Append(',').Append(Field(groups)).Append(',').Append(Period.Name).Append(',')
              .Append(Number(used.ServerHours)).Append(',').Append(Number(used.VcpuHours)).Append(',').Append(Number(used.GbHours)).Append(',')
              .Append(Number(cost)).Append(',').Append(Currency).Append(',').Append(quotaUsed).Append(',').Append(quotaLimit).Append(',').Append(quotaUnit).Append(',')
              .Append(homeBytes).Append(',').Append(homeQuota).Append("\r\n");
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static string Number(double value) => Round(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting, and a leading quote for text a spreadsheet would run as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
