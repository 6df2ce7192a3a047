using System.Globalization;
using Hub.Core.Configuration;

namespace Hub.Core.Usage;

/// <summary>
/// Money caps on server time, per calendar month (UTC): the hub's as a whole and each named group's. Spend is
/// estimated from recorded usage (vCPU-hours and GB-hours) at <see cref="PricePerVcpuHour"/> and
/// <see cref="PricePerGbHour"/> (by default ACI's pay-as-you-go Linux prices, as in infra/Hub.Cost/prices.json).
/// When a budget is reached, new starts are refused (403), a warning is logged and
/// <c>jupyterhub_usage_budget_reached</c> turns 1. Running servers are not stopped by a budget. Admins are exempt.
/// </summary>
public sealed class BudgetOptions : ISettingsSection
{
    public static string Section => "Budget";

    /// <summary>The whole hub's monthly budget for server time, in <see cref="Currency"/>; 0: none.</summary>
    public double Monthly { get; set; }

    /// <summary>The currency of every amount (ISO 4217, e.g. <c>USD</c>); required with any budget.</summary>
    public string Currency { get; set; } = "";

    /// <summary>Monthly budgets of groups (a class), as <c>group=amount</c>: the members' usage together.</summary>
    public IReadOnlyList<string> Groups { get; set; } = [];

    /// <summary>The price of one vCPU for one hour.</summary>
    public double PricePerVcpuHour { get; set; } = 0.0486;

    /// <summary>The price of one GB of memory for one hour.</summary>
    public double PricePerGbHour { get; set; } = 0.0054;

    /// <summary>Whether any budget is configured.</summary>
    public bool Enabled => Monthly > 0 || LimitRules.Parse(Groups).Any(r => r.Value > 0);

    /// <summary>What <paramref name="usage"/> cost at these prices.</summary>
    public double CostOf(UsageAmount usage) => usage.VcpuHours * PricePerVcpuHour + usage.GbHours * PricePerGbHour;

    /// <summary>An amount with its currency, for people.</summary>
    public string Format(double amount) => amount.ToString("0.00", CultureInfo.InvariantCulture) + " " + Currency;

    public void Validate(SettingsProblems problems)
    {
        if (Monthly < 0 || !double.IsFinite(Monthly))
        {
            problems.Add("Budget__Monthly", $"must be 0 (none) or more, not {Monthly.ToString(CultureInfo.InvariantCulture)}");
        }
        LimitRules.Validate("Budget__Groups", "group", Groups, problems);
        if ((Monthly > 0 || Groups.Count > 0) && string.IsNullOrWhiteSpace(Currency))
        {
            problems.Add("Budget__Currency", "must be set (e.g. USD) when Budget__Monthly or Budget__Groups is");
        }
        else if (Currency.Length > 0 && (Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper)))
        {
            problems.Add("Budget__Currency", $"must be a three-letter ISO 4217 code such as USD or EUR, not '{Currency}'");
        }
        if (PricePerVcpuHour < 0 || !double.IsFinite(PricePerVcpuHour))
        {
            problems.Add("Budget__PricePerVcpuHour", "must not be negative");
        }
        if (PricePerGbHour < 0 || !double.IsFinite(PricePerGbHour))
        {
            problems.Add("Budget__PricePerGbHour", "must not be negative");
        }
    }
}
