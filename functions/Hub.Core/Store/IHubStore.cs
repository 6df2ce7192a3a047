using Hub.Core.Sharing;

namespace Hub.Core.Store;

/// <summary>Users, keyed by their normalised name.</summary>
public interface IUserStore : IRecordStore<string, UserRecord>;

/// <summary>Servers, keyed by owner and server name.</summary>
public interface IServerStore : IRecordStore<ServerKey, ServerRecord>
{
    /// <summary>The servers of one user (a single-partition read).</summary>
    IAsyncEnumerable<ServerRecord> ListForUserAsync(string user, CancellationToken cancellationToken = default);

    /// <summary>
    /// The servers that are queued, starting, running or stopping (every phase but <see cref="ServerPhase.Stopped"/>
    /// and <see cref="ServerPhase.Failed"/>): the reconcile loop's work list, proportional to active users, not to all.
    /// </summary>
    IAsyncEnumerable<ServerRecord> ListActiveAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The same servers as <see cref="ListActiveAsync"/>, with only what the idle culler reads (owner, name, desired
    /// state, phase, requested, started, last activity, target, token nonce); every other field is left at its
    /// default. A store that cannot narrow its reads returns whole records.
    /// </summary>
    IAsyncEnumerable<ServerRecord> ListActiveForCullingAsync(CancellationToken cancellationToken = default) => ListActiveAsync(cancellationToken);

    /// <summary>
    /// Writes only the fields a stop request changes (<see cref="ServerRecord.Desired"/>,
    /// <see cref="ServerRecord.Phase"/>, <see cref="ServerRecord.PhaseSince"/> when set, and
    /// <see cref="ServerRecord.Message"/>, cleared when <c>null</c>) if the stored record is still at the record's
    /// <see cref="IStoredRecord.Version"/>; every other field stays as stored. So the record may come from a partial
    /// read such as <see cref="ListActiveForCullingAsync"/>: with the version unchanged, the rest is what was there.
    /// </summary>
    /// <returns>
    /// <see cref="StoreWriteStatus.Written"/> with the record as given at its new version (still partial if it was);
    /// otherwise <see cref="StoreWriteStatus.Changed"/> or <see cref="StoreWriteStatus.NotFound"/>, as
    /// <see cref="IRecordStore{TKey,TRecord}.ReplaceAsync"/> answers.
    /// </returns>
    Task<StoreWriteResult<ServerRecord>> WriteStopRequestAsync(ServerRecord record, CancellationToken cancellationToken = default);
}

/// <summary>Routes of ready servers, keyed like servers.</summary>
public interface IRouteStore : IRecordStore<ServerKey, RouteRecord>;

/// <summary>Sessions, keyed by the hash of their id.</summary>
public interface ISessionStore : IRecordStore<string, SessionRecord>;

/// <summary>API tokens, keyed by the hash of the token.</summary>
public interface ITokenStore : IRecordStore<string, TokenRecord>
{
    /// <summary>The tokens of one user.</summary>
    IAsyncEnumerable<TokenRecord> ListForUserAsync(string user, CancellationToken cancellationToken = default);
}

/// <summary>
/// The hub's shared state. Every implementation must keep concurrent writers from losing updates (versions on every
/// conditional write) and must accept any valid user name as a key (see <c>UserNamePolicy</c>).
/// </summary>
public interface IHubStore
{
    IUserStore Users { get; }

    IServerStore Servers { get; }

    IRouteStore Routes { get; }

    ISessionStore Sessions { get; }

    ITokenStore Tokens { get; }

    /// <summary>Finished server runs, for usage reports, quotas and budgets.</summary>
    IUsageStore Usage { get; }

    /// <summary>Servers shared with other users and groups (JupyterHub 5's shares).</summary>
    IShareStore Shares { get; }

    /// <summary>Codes that can be exchanged for a share.</summary>
    IShareCodeStore ShareCodes { get; }

    /// <summary>Where the store is, for messages and logs; never holds a secret.</summary>
    string Location { get; }

    /// <summary>Creates whatever the store needs (tables) if missing; safe to call repeatedly and concurrently.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks that the store answers; never throws for an unreachable store.</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default);
}

/// <summary>Whether the store answered, and if not, why, in words an operator can act on.</summary>
public sealed record StoreHealth(bool Reachable, string Description);
