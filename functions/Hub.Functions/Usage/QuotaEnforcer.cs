using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Core.Usage;

namespace Hub.Functions.Usage;

/// <summary>
/// Part of every cull run: stops the running servers of users who reached their quota (through
/// <see cref="IServerLifecycle"/>, so files stay), and adds up the month's spend when a budget is set, so that the
/// budget metrics and the warning event follow spend even while nobody starts a server. Reads the active servers once
/// and each of their owners' usage once. Then measures the homes that are due (<see cref="HomeStorageSurvey"/>).
/// </summary>
public sealed partial class QuotaEnforcer(IHubStore store, Quotas quotas, BudgetGuard budgets, IServerLifecycle lifecycle, UsageMetrics metrics, TimeProvider time, ILogger<QuotaEnforcer> logger,
    HomeStorageSurvey? homes = null)
{
    /// <summary>Stops every server over its owner's cap, then measures homes; returns lines for the run's log.</summary>
    public async Task<IReadOnlyList<string>> EnforceAsync(CancellationToken cancellationToken)
    {
        var lines = await EnforceQuotasAsync(cancellationToken).ConfigureAwait(false);
        if (homes is null)
        {
            return lines;
        }
        var survey = await homes.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return [.. lines, .. survey.ToLines()];
    }

    private async Task<IReadOnlyList<string>> EnforceQuotasAsync(CancellationToken cancellationToken)
    {
        if (budgets.Options.Enabled)
        {
            await budgets.StateAsync(cancellationToken).ConfigureAwait(false);
        }
        if (!quotas.Policy.Options.Enabled)
        {
            return [];
        }
        var owners = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var server in store.Servers.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            if (server.Started is not null && server.Desired == ServerDesiredState.Running)
            {
                owners.Add(server.User);
            }
        }
        int stopped = 0;
        var now = time.GetUtcNow();
        foreach (var name in owners)
        {
            if (await store.Users.GetAsync(name, cancellationToken).ConfigureAwait(false) is not { } user
                || await quotas.StatusAsync(user, now, cancellationToken).ConfigureAwait(false) is not { Reached: true } status)
            {
                continue;
            }
            foreach (var running in status.Running)
            {
                await lifecycle.BeginStopAsync(running.Key, cancellationToken).ConfigureAwait(false);
                QuotaStop(logger, Core.Security.LogText.Cap(running.Key.ToString()), status.Used, status.Limit, UsageUnits.Name(status.Unit));
                stopped++;
            }
        }
        metrics.QuotaStops(stopped);
        return stopped == 0 ? [] : [$"Stopped {stopped} server(s) whose owners reached their usage quota."];
    }

    [LoggerMessage(EventId = 1902, EventName = "QuotaStop", Level = LogLevel.Information,
        Message = "Stopping {Server}: its owner used {Used:0.##} of {Limit:0.##} {Unit} this period (files are kept).")]
    private static partial void QuotaStop(ILogger logger, string server, double used, double limit, string unit);
}
