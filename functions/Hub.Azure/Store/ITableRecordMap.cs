using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>How one kind of record is laid out in its table: its keys and its properties.</summary>
internal interface ITableRecordMap<TKey, TRecord>
    where TRecord : class, IStoredRecord
{
    (string PartitionKey, string RowKey) KeysOf(TKey key);

    TKey KeyOf(TRecord record);

    TableEntity ToEntity(TRecord record);

    /// <summary>Reads a stored entity, with its ETag as the record's version.</summary>
    TRecord FromEntity(TableEntity entity);

    TRecord WithVersion(TRecord record, string version);
}
