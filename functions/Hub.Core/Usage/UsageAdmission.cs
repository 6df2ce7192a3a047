using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Core.Usage;

/// <summary>Refuses a start when the user's quota or a budget that applies to them is used up; admins are never refused.</summary>
public sealed class UsageAdmission(Quotas quotas, BudgetGuard budgets, TimeProvider time) : IStartAdmission
{
    public async Task<StartResult?> CheckAsync(UserRecord user, ServerKey server, IReadOnlyList<ServerRecord> servers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await quotas.StatusAsync(user, now, cancellationToken, servers).ConfigureAwait(false) is { Reached: true } quota)
        {
            return new StartResult(StartStatus.Refused, quota.RefusalMessage(),
                Refusal: new StartRefusal("quota", quota.Used, quota.Limit, UsageUnits.Name(quota.Unit), quota.Period.End));
        }
        if (!budgets.Options.Enabled || user.Admin)
        {
            return null;
        }
        var state = await budgets.StateAsync(cancellationToken).ConfigureAwait(false);
        return budgets.RefusalFor(state, user.Groups) is { } refusal
            ? new StartResult(StartStatus.Refused, refusal.Message,
                Refusal: new StartRefusal("budget", refusal.Spent, refusal.Budget, budgets.Options.Currency, refusal.ResetsAt))
            : null;
    }
}
