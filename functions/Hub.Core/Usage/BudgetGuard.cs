using Microsoft.Extensions.Logging;

namespace Hub.Core.Usage;

/// <summary>This month's estimated spend on server time, for the hub and each group with a budget.</summary>
/// <param name="Month">The calendar month (UTC).</param>
/// <param name="HubSpent">Everyone's usage at the budget's prices.</param>
/// <param name="GroupSpent">Each budgeted group's members' usage (finished runs count for the groups their owner was in).</param>
/// <param name="At">When it was added up.</param>
public sealed record BudgetState(UsagePeriod Month, double HubSpent, IReadOnlyDictionary<string, double> GroupSpent, DateTimeOffset At);

/// <summary>
/// Adds up this month's spend at most once a minute per instance (a start reads the last sum, so a budget may be
/// overrun by about a minute of running servers), logs a warning when a budget is first seen reached, and says
/// whether a user's start is refused.
/// </summary>
public sealed partial class BudgetGuard(BudgetOptions options, UsageLedger ledger, TimeProvider time, ILogger<BudgetGuard> logger)
{
    /// <summary>How long one sum is used before it is added up again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyDictionary<string, double> _groups = LimitRules.Parse(options.Groups).Where(g => g.Value > 0).ToDictionary();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly HashSet<string> _warned = [];
    private BudgetState? _last;

    public BudgetOptions Options => options;

    /// <summary>The last sum, if any was made (for metrics).</summary>
    public BudgetState? Last => Volatile.Read(ref _last);

    /// <summary>Whether the hub-wide budget is reached in <paramref name="state"/>.</summary>
    public bool HubReached(BudgetState state) => options.Monthly > 0 && state.HubSpent >= options.Monthly;

    /// <summary>The groups with a budget that <paramref name="state"/> shows reached.</summary>
    public IEnumerable<(string Group, double Spent, double Budget)> GroupsReached(BudgetState state) =>
        _groups.Where(g => state.GroupSpent.GetValueOrDefault(g.Key) >= g.Value).Select(g => (g.Key, state.GroupSpent.GetValueOrDefault(g.Key), g.Value));

    /// <summary>This month's spend, added up again when the last sum is older than <see cref="RefreshInterval"/>.</summary>
    public async Task<BudgetState> StateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Last is { } fresh && now - fresh.At < RefreshInterval && now < fresh.Month.End)
        {
            return fresh;
        }
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = time.GetUtcNow();
            if (Last is { } other && now - other.At < RefreshInterval && now < other.Month.End)
            {
                return other;
            }
            var month = UsagePeriod.Containing(UsagePeriodKind.Month, now)!;
            double hub = 0;
            var groups = _groups.Keys.ToDictionary(g => g, _ => 0.0, StringComparer.Ordinal);
            foreach (var share in await ledger.AllUsageAsync(month, now, cancellationToken).ConfigureAwait(false))
            {
                double cost = options.CostOf(share.Amount);
                hub += cost;
                foreach (var group in share.Groups.Where(groups.ContainsKey))
                {
                    groups[group] += cost;
                }
            }
            var state = new BudgetState(month, hub, groups, now);
            WarnOnce(state);
            Volatile.Write(ref _last, state);
            return state;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Why <paramref name="groups"/>' member may not start now, or <c>null</c> when no budget stops them.</summary>
    public BudgetRefusal? RefusalFor(BudgetState state, IReadOnlyList<string> groups)
    {
        if (HubReached(state))
        {
            return new BudgetRefusal(null, state.HubSpent, options.Monthly, state.Month.End,
                $"The hub has used its budget for this month ({options.Format(options.Monthly)}); new servers can start again on {UsageText.Time(state.Month.End)}, or when an admin raises the budget.");
        }
        foreach (var (group, spent, budget) in GroupsReached(state).Where(g => groups.Contains(g.Group)))
        {
            return new BudgetRefusal(group, spent, budget, state.Month.End,
                $"Your group {group} has used its budget for this month ({options.Format(budget)}); new servers can start again on {UsageText.Time(state.Month.End)}, or when an admin raises the budget.");
        }
        return null;
    }

    private void WarnOnce(BudgetState state)
    {
        lock (_warned)
        {
            if (HubReached(state) && _warned.Add(state.Month.Name + "/hub"))
            {
                BudgetReached(logger, "the hub", options.Format(state.HubSpent), options.Format(options.Monthly), state.Month.Name);
            }
            foreach (var (group, spent, budget) in GroupsReached(state))
            {
                if (_warned.Add(state.Month.Name + "/group/" + group))
                {
                    BudgetReached(logger, "group " + group, options.Format(spent), options.Format(budget), state.Month.Name);
                }
            }
        }
    }

    [LoggerMessage(EventId = 1901, EventName = "BudgetReached", Level = LogLevel.Warning,
        Message = "The budget of {Scope} is reached: {Spent} of {Budget} in {Month}; new starts are refused until the month ends or the budget is raised.")]
    private static partial void BudgetReached(ILogger logger, string scope, string spent, string budget, string month);
}

/// <param name="Group">The group whose budget is reached; <c>null</c> for the hub's.</param>
public sealed record BudgetRefusal(string? Group, double Spent, double Budget, DateTimeOffset ResetsAt, string Message);
