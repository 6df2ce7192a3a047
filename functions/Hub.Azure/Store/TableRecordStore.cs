using System.Runtime.CompilerServices;
using Azure;
using Hub.Azure.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>The operations of <see cref="IRecordStore{TKey,TRecord}"/> over one table, for any record with a map.</summary>
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
        var entity = await table.GetEntityAsync(pk, rk, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity is null ? null : map.FromEntity(entity);
    }

    public async Task<StoreWriteResult<TRecord>> CreateAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        var result = await table.InsertAsync(map.ToEntity(record), cancellationToken).ConfigureAwait(false);
        return Outcome(record, result);
    }

    public async Task<StoreWriteResult<TRecord>> ReplaceAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        if (record.Version is null)
        {
            throw new ArgumentException("Replacing a record needs the version it was read at; use UpsertAsync for unconditional writes.", nameof(record));
        }
        var result = await table.UpdateAsync(map.ToEntity(record), new ETag(record.Version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return Outcome(record, result);
    }

    public async Task<TRecord> UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        var etag = await table.UpsertAsync(map.ToEntity(record), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return map.WithVersion(record, etag.ToString());
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
        var result = await table.DeleteEntityAsync(pk, rk, version is null ? ETag.All : new ETag(version), cancellationToken).ConfigureAwait(false);
        return Status(result.Status);
    }

    public IAsyncEnumerable<TRecord> ListAsync(CancellationToken cancellationToken = default) => QueryAsync(null, cancellationToken);

    protected IAsyncEnumerable<TRecord> QueryAsync(string? filter, CancellationToken cancellationToken) => QueryAsync(filter, null, cancellationToken);

    /// <param name="select">The properties to read (the rest keep their defaults); <c>null</c> for all.</param>
    protected async IAsyncEnumerable<TRecord> QueryAsync(string? filter, IReadOnlyList<string>? select, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in table.QueryAsync(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return map.FromEntity(entity);
        }
    }

    private StoreWriteResult<TRecord> Outcome(TRecord record, TableWriteResult result) =>
        result.Succeeded
            ? new StoreWriteResult<TRecord>(StoreWriteStatus.Written, map.WithVersion(record, result.ETag.ToString()))
            : new StoreWriteResult<TRecord>(Status(result.Status), null);

    private static StoreWriteStatus Status(TableWriteStatus status) => status switch
    {
        TableWriteStatus.Succeeded => StoreWriteStatus.Written,
        TableWriteStatus.Conflict => StoreWriteStatus.AlreadyExists,
        TableWriteStatus.PreconditionFailed => StoreWriteStatus.Changed,
        _ => StoreWriteStatus.NotFound,
    };
}
