using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>
/// The operations of <see cref="IRecordStore{TKey,TRecord}"/> over one table, for any record with a map. The
/// expected outcomes of a write (the entity exists, changed, or is gone) become <see cref="StoreWriteStatus"/>
/// values here; anything else stays a <see cref="RequestFailedException"/> with the service's error code.
/// </summary>
internal class TableRecordStore<TKey, TRecord>(TableClient table, ITableRecordMap<TKey, TRecord> map) : IRecordStore<TKey, TRecord>
    where TRecord : class, IStoredRecord
{
    /// <summary>After this many lost races in a row, something is wrong beyond ordinary contention.</summary>
    private const int MaxChangeAttempts = 100;

    protected TableClient Table => table;

    protected ITableRecordMap<TKey, TRecord> Map => map;

    public async Task<TRecord?> GetAsync(TKey key, CancellationToken cancellationToken = default)
    {
        var (pk, rk) = map.KeysOf(key);
        var response = await TableResponses.ReadAsync(() =>
            table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (response.HasValue)
        {
            return map.FromEntity(response.Value!);
        }
        TableResponses.ThrowUnlessEntityMissing(response.GetRawResponse());
        return null;
    }

    public async Task<StoreWriteResult<TRecord>> CreateAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await TableResponses.ReadAsync(() =>
                table.AddEntityAsync(TableResponses.WithoutNulls(map.ToEntity(record)), cancellationToken)).ConfigureAwait(false);
            return Written(record, response);
        }
        catch (RequestFailedException ex) when (TableResponses.Outcome(ex) is { } status)
        {
            return new StoreWriteResult<TRecord>(status, null);
        }
    }

    public async Task<StoreWriteResult<TRecord>> ReplaceAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        if (record.Version is null)
        {
            throw new ArgumentException("Replacing a record needs the version it was read at; use UpsertAsync for unconditional writes.", nameof(record));
        }
        try
        {
            var response = await TableResponses.ReadAsync(() => table.UpdateEntityAsync(
                TableResponses.WithoutNulls(map.ToEntity(record)), new ETag(record.Version), TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
            return Written(record, response);
        }
        catch (RequestFailedException ex) when (TableResponses.Outcome(ex) is { } status)
        {
            return new StoreWriteResult<TRecord>(status, null);
        }
    }

    public async Task<TRecord> UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        var response = await TableResponses.ReadAsync(() =>
            table.UpsertEntityAsync(TableResponses.WithoutNulls(map.ToEntity(record)), TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
        return map.WithVersion(record, TableResponses.ETagOf(response));
    }

    public async Task<TRecord?> ChangeAsync(TKey key, Func<TRecord, TRecord?> change, CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            var current = await GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }
            var changed = change(current);
            if (changed is null)
            {
                return current;
            }
            if (!EqualityComparer<TKey>.Default.Equals(map.KeyOf(changed), key))
            {
                throw new InvalidOperationException("A change cannot move a record to another key.");
            }

            var result = await ReplaceAsync(map.WithVersion(changed, current.Version!), cancellationToken).ConfigureAwait(false);
            switch (result.Status)
            {
                case StoreWriteStatus.Written:
                    return result.Record;
                case StoreWriteStatus.NotFound:
                    return null;
                case StoreWriteStatus.Changed when attempt < MaxChangeAttempts:
                    // Someone else wrote first: spread the retries so that the writers do not collide again in step.
                    await Task.Delay(Random.Shared.Next(0, Math.Min(attempt, 20) * 5), cancellationToken).ConfigureAwait(false);
                    continue;
                default:
                    throw new InvalidOperationException($"Gave up changing a record after {attempt} attempts lost to concurrent writers.");
            }
        }
    }

    public async Task<StoreWriteStatus> DeleteAsync(TKey key, string? version = null, CancellationToken cancellationToken = default)
    {
        var (pk, rk) = map.KeysOf(key);
        try
        {
            // The SDK answers a delete of a missing entity with its 404 response instead of an exception.
            var response = await TableResponses.ReadAsync(() =>
                table.DeleteEntityAsync(pk, rk, version is null ? ETag.All : new ETag(version), cancellationToken)).ConfigureAwait(false);
            if (response.Status == 404)
            {
                TableResponses.ThrowUnlessEntityMissing(response);
                return StoreWriteStatus.NotFound;
            }
            return StoreWriteStatus.Written;
        }
        catch (RequestFailedException ex) when (TableResponses.Outcome(ex) is { } status)
        {
            return status;
        }
    }

    public IAsyncEnumerable<TRecord> ListAsync(CancellationToken cancellationToken = default) => QueryAsync(null, cancellationToken);

    protected IAsyncEnumerable<TRecord> QueryAsync(string? filter, CancellationToken cancellationToken) => QueryAsync(filter, null, cancellationToken);

    /// <param name="filter">An OData filter, built with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>; <c>null</c> for all.</param>
    /// <param name="select">The properties to read (the rest keep their defaults); <c>null</c> for all.</param>
    protected async IAsyncEnumerable<TRecord> QueryAsync(string? filter, IReadOnlyList<string>? select, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entities = table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (entities.ConfigureAwait(false))
        {
            while (await TableResponses.ReadAsync(() => entities.MoveNextAsync()).ConfigureAwait(false))
            {
                yield return map.FromEntity(entities.Current);
            }
        }
    }

    private StoreWriteResult<TRecord> Written(TRecord record, Response response) =>
        new(StoreWriteStatus.Written, map.WithVersion(record, TableResponses.ETagOf(response)));
}
