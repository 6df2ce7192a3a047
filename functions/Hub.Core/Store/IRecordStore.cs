namespace Hub.Core.Store;

/// <summary>
/// The operations every kind of record supports. Updates are optimistic: <see cref="ReplaceAsync"/> and
/// <see cref="DeleteAsync"/> with a version fail with <see cref="StoreWriteStatus.Changed"/> if the record moved on;
/// <see cref="ChangeAsync"/> wraps read-modify-write in a retry loop for callers that can recompute their change.
/// </summary>
/// <typeparam name="TKey">What identifies a record.</typeparam>
/// <typeparam name="TRecord">The record.</typeparam>
public interface IRecordStore<TKey, TRecord>
    where TRecord : class, IStoredRecord
{
    /// <summary>The record with this key, or <c>null</c>.</summary>
    Task<TRecord?> GetAsync(TKey key, CancellationToken cancellationToken = default);

    /// <summary>Stores a new record; <see cref="StoreWriteStatus.AlreadyExists"/> if its key is taken.</summary>
    Task<StoreWriteResult<TRecord>> CreateAsync(TRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the stored record if it is still at <see cref="IStoredRecord.Version"/> (which must be set);
    /// otherwise <see cref="StoreWriteStatus.Changed"/> or <see cref="StoreWriteStatus.NotFound"/>.
    /// </summary>
    Task<StoreWriteResult<TRecord>> ReplaceAsync(TRecord record, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the record whatever its version: only for records with a single writer.</summary>
    Task<TRecord> UpsertAsync(TRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the record, applies <paramref name="change"/> and writes the result if nobody wrote in between,
    /// repeating with a fresh read until it succeeds. <paramref name="change"/> returns <c>null</c> to leave the
    /// record alone (then nothing is written and the current record is returned).
    /// </summary>
    /// <returns>The record as stored afterwards, or <c>null</c> if there is no record with this key.</returns>
    Task<TRecord?> ChangeAsync(TKey key, Func<TRecord, TRecord?> change, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record if it is still at <paramref name="version"/> (<c>null</c>: whatever its version).</summary>
    Task<StoreWriteStatus> DeleteAsync(TKey key, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>Every record, in key order.</summary>
    IAsyncEnumerable<TRecord> ListAsync(CancellationToken cancellationToken = default);
}
