using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Core.Usage;

namespace Hub.Functions.Usage;

/// <summary>
/// Part of every cull run: stops the running servers of users who reached their quota (through
/// <see cref="IServerLifecycle"/>, so files stay), and adds up the month's spend when a budget is set, so that the
/// budget metrics and the warning event follow spend even while nobody starts a server. Reads the active servers, the
/// period's finished runs and the users once each, whatever the number of owners. Then measures the homes that are
/// due (<see cref="HomeStorageSurvey"/>).
/// </summary>
public sealed partial class QuotaEnforcer(IHubStore store, Quotas quotas, UsageLedger ledger, BudgetGuard budgets, IServerLifecycle lifecycle, UsageMetrics metrics, TimeProvider time, ILogger<QuotaEnforcer> logger,
    HomeStorageSurvey? homes = null)
{
    /// <summary>Servers stopped at the same time.</summary>
    public const int Concurrency = 8;

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
        var now = time.GetUtcNow();
        if (quotas.Policy.PeriodAt(now) is not { } period)
        {
            return [];
        }
        // The active servers hold every current run; one query of the period's finished runs and one of the users
        // serve all owners, however many (a class's servers at a period's start must not cost a read each).
        var active = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            active.Add(server);
        }
        var owners = active.Where(s => s.Started is not null && s.Desired == ServerDesiredState.Running).Select(s => s.User).ToHashSet(StringComparer.Ordinal);
        if (owners.Count == 0)
        {
            return [];
        }
        var serversOf = active.Where(s => owners.Contains(s.User)).ToLookup(s => s.User, StringComparer.Ordinal);
        var runs = await ledger.RunsByUserAsync(period, cancellationToken).ConfigureAwait(false);
        var capped = new List<QuotaStatus>();
        await foreach (var user in store.Users.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (owners.Contains(user.Name) && quotas.StatusOf(user, period, ledger.Combine(runs[user.Name], serversOf[user.Name], period, now)) is { Reached: true } status)
            {
                capped.Add(status);
            }
        }
        int stopped = 0;
        await Parallel.ForEachAsync(capped.SelectMany(c => c.Running.Select(r => (Status: c, Server: r.Key))),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (stop, token) =>
            {
                await lifecycle.BeginStopAsync(stop.Server, token).ConfigureAwait(false);
                QuotaStop(logger, Core.Security.LogText.Cap(stop.Server.ToString()), stop.Status.Used, stop.Status.Limit, UsageUnits.Name(stop.Status.Unit));
                Interlocked.Increment(ref stopped);
            }).ConfigureAwait(false);
        metrics.QuotaStops(stopped);
        return stopped == 0 ? [] : [$"Stopped {stopped} server(s) whose owners reached their usage quota."];
    }

    [LoggerMessage(EventId = 1902, EventName = "QuotaStop", Level = LogLevel.Information,
        Message = "Stopping {Server}: its owner used {Used:0.##} of {Limit:0.##} {Unit} this period (files are kept).")]
    private static partial void QuotaStop(ILogger logger, string server, double used, double limit, string unit);
}
