namespace Hub.Core.Store;

/// <summary>Identifies one run of one server: its owner, and the server's name with the moment the run began.</summary>
public readonly record struct UsageKey(string User, string Server, DateTimeOffset Started);

/// <summary>
/// One finished run of a server, kept for usage reports and quotas: who ran which server, from when to when, at what
/// size. Runs are keyed by their start, so writing the same run again (a repeated stop step, a second control plane)
/// replaces the row instead of adding one: every run is counted once. Rows are never changed after the run and never
/// deleted with the server, so a period can be reported long after it ended.
/// </summary>
public sealed record UsageRecord : IStoredRecord
{
    public required string User { get; init; }

    /// <summary>The server's name; <c>""</c> for the default server.</summary>
    public string Server { get; init; } = "";

    /// <summary>When the server became ready.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When its resources were gone.</summary>
    public required DateTimeOffset Ended { get; init; }

    /// <summary>vCPUs the server had (its profile's, or the spawner's default).</summary>
    public double Cpu { get; init; }

    /// <summary>Memory in GB the server had.</summary>
    public double MemoryInGb { get; init; }

    /// <summary>The profile it ran with.</summary>
    public string? Profile { get; init; }

    /// <summary>The owner's groups when the run ended, so that group reports stay true after membership changes.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public UsageKey Key => new(User, Server, Started);

    public string? Version { get; init; }
}

/// <summary>Finished runs (see <see cref="UsageRecord"/>), partitioned by owner.</summary>
public interface IUsageStore : IRecordStore<UsageKey, UsageRecord>
{
    /// <summary>The runs of one user that ended at or after <paramref name="endedSince"/> (a single-partition read).</summary>
    IAsyncEnumerable<UsageRecord> ListForUserAsync(string user, DateTimeOffset endedSince, CancellationToken cancellationToken = default);

    /// <summary>Every user's runs that ended at or after <paramref name="endedSince"/>.</summary>
    IAsyncEnumerable<UsageRecord> ListEndedSinceAsync(DateTimeOffset endedSince, CancellationToken cancellationToken = default);
}
