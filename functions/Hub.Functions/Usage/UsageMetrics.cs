using System.Diagnostics.Metrics;
using Hub.Core.Usage;
using Hub.Functions.Metrics;

namespace Hub.Functions.Usage;

/// <summary>
/// <c>jupyterhub_usage_*</c> on <c>/hub/metrics</c>: refusals and quota stops (counters), and from the last budget sum
/// the month's estimated spend, the budgets, and <c>jupyterhub_usage_budget_reached</c> (1 when reached) to alert on.
/// </summary>
public sealed class UsageMetrics
{
    private long _quotaRefusals, _budgetRefusals, _quotaStops;

    public UsageMetrics(IMeterFactory meters, BudgetGuard budgets)
    {
        var meter = meters.Create(HubMetrics.MeterName);
        meter.CreateObservableCounter(HubMetrics.Prefix + "usage_quota_refusals_total", () => Interlocked.Read(ref _quotaRefusals),
            description: "Starts refused because the user's usage quota was used up");
        meter.CreateObservableCounter(HubMetrics.Prefix + "usage_budget_refusals_total", () => Interlocked.Read(ref _budgetRefusals),
            description: "Starts refused because a budget was reached");
        meter.CreateObservableCounter(HubMetrics.Prefix + "usage_quota_stops_total", () => Interlocked.Read(ref _quotaStops),
            description: "Running servers stopped because their owner reached the usage quota");
        if (!budgets.Options.Enabled)
        {
            return;
        }
        meter.CreateObservableGauge(HubMetrics.Prefix + "usage_budget_spent", () => Budgets(budgets, (state, _) => state.HubSpent, (state, group) => state.GroupSpent.GetValueOrDefault(group)),
            description: "Estimated spend on server time this month, in the budget's currency (scope: hub or a group)");
        meter.CreateObservableGauge(HubMetrics.Prefix + "usage_budget_limit", () => Budgets(budgets, (_, _) => budgets.Options.Monthly, (_, group) => LimitRules.Parse(budgets.Options.Groups)[group]),
            description: "The monthly budget, in its currency (scope: hub or a group)");
        meter.CreateObservableGauge(HubMetrics.Prefix + "usage_budget_reached", () => Budgets(budgets,
            (state, _) => budgets.HubReached(state) ? 1 : 0,
            (state, group) => budgets.GroupsReached(state).Any(g => g.Group == group) ? 1 : 0),
            description: "1 when the budget is reached and new starts are refused (scope: hub or a group)");
    }

    public void Refused(string kind) => Interlocked.Increment(ref kind == "budget" ? ref _budgetRefusals : ref _quotaRefusals);

    public void QuotaStops(int count) => Interlocked.Add(ref _quotaStops, count);

    private static IEnumerable<Measurement<double>> Budgets(BudgetGuard budgets, Func<BudgetState, string?, double> hub, Func<BudgetState, string, double> group)
    {
        if (budgets.Last is not { } state)
        {
            yield break;
        }
        if (budgets.Options.Monthly > 0)
        {
            yield return new Measurement<double>(hub(state, null), new KeyValuePair<string, object?>("scope", "hub"));
        }
        foreach (var name in LimitRules.Parse(budgets.Options.Groups).Where(g => g.Value > 0).Select(g => g.Key))
        {
            yield return new Measurement<double>(group(state, name), new KeyValuePair<string, object?>("scope", "group:" + name));
        }
    }
}
