using Hub.Core.Store;

namespace Hub.Core.Usage;

/// <summary>
/// Writes finished runs to <see cref="IUsageStore"/> and adds up usage from them and from the runs still going.
/// The reconcile loop records a run just before the conditional write that ends it (see
/// <c>Hub.Core.Spawning.ServerUsage</c>): if that write fails, the step is repeated and writes the same row again
/// (keyed by the run's start), so a run is counted once however many instances end it.
/// </summary>
public sealed class UsageLedger(IHubStore store, ServerSizes sizes)
{
    /// <summary>Records the server's current run as ending at <paramref name="now"/>; nothing when it has none.</summary>
    public async Task RecordRunEndAsync(ServerRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (record.Started is not { } started)
        {
            return;
        }
        var owner = await store.Users.GetAsync(record.User, cancellationToken).ConfigureAwait(false);
        var (cpu, memory) = sizes.Of(record.Profile);
        await store.Usage.UpsertAsync(new UsageRecord
        {
            User = record.User,
            Server = record.Name,
            Started = started,
            Ended = now > started ? now : started,
            Cpu = cpu,
            MemoryInGb = memory,
            Profile = record.Profile,
            Groups = owner?.Groups ?? [],
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One user's usage in <paramref name="period"/> up to <paramref name="now"/>, named servers included.</summary>
    /// <param name="servers">The user's servers when the caller has just read them (a start has); <c>null</c>: read here.</param>
    public async Task<UserUsage> UsageOfAsync(string user, UsagePeriod period, DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyList<ServerRecord>? servers = null)
    {
        var runs = new List<UsageRecord>();
        await foreach (var run in store.Usage.ListForUserAsync(user, period.Start, cancellationToken).ConfigureAwait(false))
        {
            runs.Add(run);
        }
        return Combine(runs, servers ?? await ServersOfAsync(user, cancellationToken).ConfigureAwait(false), period, now);
    }

    /// <summary>
    /// Every user's finished runs that overlap <paramref name="period"/>, by user: one query for all users, for the
    /// cull run, which then adds each owner's running servers with <see cref="Combine"/>.
    /// </summary>
    public async Task<ILookup<string, UsageRecord>> RunsByUserAsync(UsagePeriod period, CancellationToken cancellationToken)
    {
        var runs = new List<UsageRecord>();
        await foreach (var run in store.Usage.ListEndedSinceAsync(period.Start, cancellationToken).ConfigureAwait(false))
        {
            if (run.Started < period.End)
            {
                runs.Add(run);
            }
        }
        return runs.ToLookup(r => r.User, StringComparer.Ordinal);
    }

    /// <summary>One user's usage in <paramref name="period"/> from their finished runs and their servers (a current run counts until <paramref name="now"/>).</summary>
    public UserUsage Combine(IEnumerable<UsageRecord> runs, IEnumerable<ServerRecord> servers, UsagePeriod period, DateTimeOffset now)
    {
        var total = UsageAmount.Zero;
        var counted = new HashSet<(string, DateTimeOffset)>();
        foreach (var run in runs)
        {
            counted.Add((run.Server, run.Started));
            total += UsageAmount.Of(period.OverlapSeconds(run.Started, run.Ended), run.Cpu, run.MemoryInGb);
        }
        var running = new List<RunningServer>();
        foreach (var server in servers)
        {
            if (server.Started is { } started && !counted.Contains((server.Name, started)))
            {
                var (cpu, memory) = sizes.Of(server.Profile);
                total += UsageAmount.Of(period.OverlapSeconds(started, now), cpu, memory);
                running.Add(new RunningServer(server.Key, cpu, memory));
            }
        }
        return new UserUsage(total, running);
    }

    private async Task<IReadOnlyList<ServerRecord>> ServersOfAsync(string user, CancellationToken cancellationToken)
    {
        var servers = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListForUserAsync(user, cancellationToken).ConfigureAwait(false))
        {
            servers.Add(server);
        }
        return servers;
    }

    /// <summary>
    /// Every user's usage in <paramref name="period"/> up to <paramref name="now"/>, with the groups each amount is
    /// counted for (finished runs: the owner's groups when they ended; running servers: the owner's groups now).
    /// </summary>
    public async Task<IReadOnlyList<UsageShare>> AllUsageAsync(UsagePeriod period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var shares = new List<UsageShare>();
        var counted = new HashSet<(string, string, DateTimeOffset)>();
        await foreach (var run in store.Usage.ListEndedSinceAsync(period.Start, cancellationToken).ConfigureAwait(false))
        {
            counted.Add((run.User, run.Server, run.Started));
            if (run.Started < period.End)
            {
                shares.Add(new UsageShare(run.User, run.Groups, UsageAmount.Of(period.OverlapSeconds(run.Started, run.Ended), run.Cpu, run.MemoryInGb)));
            }
        }
        Dictionary<string, IReadOnlyList<string>>? groups = null;
        await foreach (var server in store.Servers.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            if (server.Started is { } started && started < period.End && !counted.Contains((server.User, server.Name, started)))
            {
                groups ??= await GroupsByUserAsync(cancellationToken).ConfigureAwait(false);
                var (cpu, memory) = sizes.Of(server.Profile);
                shares.Add(new UsageShare(server.User, groups.GetValueOrDefault(server.User) ?? [], UsageAmount.Of(period.OverlapSeconds(started, now), cpu, memory)));
            }
        }
        return shares;
    }

    private async Task<Dictionary<string, IReadOnlyList<string>>> GroupsByUserAsync(CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        await foreach (var user in store.Users.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            groups[user.Name] = user.Groups;
        }
        return groups;
    }
}

/// <summary>A server whose run is still going, and its size.</summary>
public sealed record RunningServer(ServerKey Key, double Cpu, double MemoryInGb);

/// <summary>One user's usage in a period, and the servers still adding to it.</summary>
public sealed record UserUsage(UsageAmount Used, IReadOnlyList<RunningServer> Running);

/// <summary>An amount of usage, whose it is and which groups it counts for.</summary>
public sealed record UsageShare(string User, IReadOnlyList<string> Groups, UsageAmount Amount);
