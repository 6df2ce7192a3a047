using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>sessions: PartitionKey = hash of the session id, RowKey = "".</summary>
internal sealed class SessionEntityMap : ITableRecordMap<string, SessionRecord>
{
    public static readonly SessionEntityMap Instance = new();

    public (string PartitionKey, string RowKey) KeysOf(string key) => (EntityValues.HashKey(key), "");

    public string KeyOf(SessionRecord record) => record.IdHash;

    public TableEntity ToEntity(SessionRecord record)
    {
        var (pk, rk) = KeysOf(record.IdHash);
        EntityValues.UserKey(record.User);
        return new TableEntity(pk, rk)
        {
            ["User"] = record.User,
            ["Created"] = record.Created,
            ["Expires"] = record.Expires,
        };
    }

    public SessionRecord FromEntity(TableEntity entity) => new()
    {
        IdHash = entity.PartitionKey,
        User = EntityValues.Required(entity, "User"),
        Created = EntityValues.RequiredTime(entity, "Created"),
        Expires = EntityValues.RequiredTime(entity, "Expires"),
        Version = entity.ETag.ToString(),
    };

    public SessionRecord WithVersion(SessionRecord record, string version) => record with { Version = version };
}
