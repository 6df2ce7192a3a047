using Azure;
using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

internal sealed class TableUserStore(TableClient table) : TableRecordStore<string, UserRecord>(table, UserEntityMap.Instance), IUserStore;

internal sealed class TableServerStore(TableClient table) : TableRecordStore<ServerKey, ServerRecord>(table, ServerEntityMap.Instance), IServerStore
{
    public IAsyncEnumerable<ServerRecord> ListForUserAsync(string user, CancellationToken cancellationToken = default) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {EntityValues.UserKey(user)}"), cancellationToken);

    public IAsyncEnumerable<ServerRecord> ListActiveAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(ActiveFilter, cancellationToken);

    public IAsyncEnumerable<ServerRecord> ListActiveForCullingAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(ActiveFilter, CullingFields, cancellationToken);

    public async Task<StoreWriteResult<ServerRecord>> WriteStopRequestAsync(ServerRecord record, CancellationToken cancellationToken = default)
    {
        if (record.Version is null)
        {
            throw new ArgumentException("A stop request is written at the version it was decided on.", nameof(record));
        }
        // A merge leaves the properties it does not name as stored; the ETag makes sure they are the ones decided on.
        var (pk, rk) = Map.KeysOf(record.Key);
        var entity = new TableEntity(pk, rk)
        {
            ["Desired"] = record.Desired.ToString(),
            ["Phase"] = record.Phase.ToString(),
            ["Message"] = record.Message ?? ServerEntityMap.NoMessage,
        };
        if (record.PhaseSince is { } since)
        {
            entity["PhaseSince"] = since;
        }
        try
        {
            var response = await TableResponses.ReadAsync(() =>
                Table.UpdateEntityAsync(entity, new ETag(record.Version), TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
            return new StoreWriteResult<ServerRecord>(StoreWriteStatus.Written, record with { Version = TableResponses.ETagOf(response) });
        }
        catch (RequestFailedException ex) when (TableResponses.Outcome(ex) is { } status)
        {
            return new StoreWriteResult<ServerRecord>(status, null);
        }
    }

    private static readonly string ActiveFilter = TableClient.CreateQueryFilter($"Phase ne {nameof(ServerPhase.Stopped)} and Phase ne {nameof(ServerPhase.Failed)}");

    private static readonly string[] CullingFields = ["User", "Name", "Desired", "Phase", "Requested", "Started", "LastActivity", "Target", "TokenNonce"];
}

internal sealed class TableRouteStore(TableClient table) : TableRecordStore<ServerKey, RouteRecord>(table, RouteEntityMap.Instance), IRouteStore;

internal sealed class TableSessionStore(TableClient table) : TableRecordStore<string, SessionRecord>(table, SessionEntityMap.Instance), ISessionStore;

internal sealed class TableTokenStore(TableClient table) : TableRecordStore<string, TokenRecord>(table, TokenEntityMap.Instance), ITokenStore
{
    public IAsyncEnumerable<TokenRecord> ListForUserAsync(string user, CancellationToken cancellationToken = default) =>
        QueryAsync(TableClient.CreateQueryFilter($"User eq {user}"), cancellationToken);
}

internal sealed class TableUsageStore(TableClient table) : TableRecordStore<UsageKey, UsageRecord>(table, UsageEntityMap.Instance), IUsageStore
{
    public IAsyncEnumerable<UsageRecord> ListForUserAsync(string user, DateTimeOffset endedSince, CancellationToken cancellationToken = default) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {EntityValues.UserKey(user)} and Ended ge {endedSince}"), cancellationToken);

    public IAsyncEnumerable<UsageRecord> ListEndedSinceAsync(DateTimeOffset endedSince, CancellationToken cancellationToken = default) =>
        QueryAsync(TableClient.CreateQueryFilter($"Ended ge {endedSince}"), cancellationToken);
}
