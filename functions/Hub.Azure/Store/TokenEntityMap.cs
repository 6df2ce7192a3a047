using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>tokens: PartitionKey = hash of the token, RowKey = "" (a point read per authenticated request).</summary>
internal sealed class TokenEntityMap : ITableRecordMap<string, TokenRecord>
{
    public static readonly TokenEntityMap Instance = new();

    public (string PartitionKey, string RowKey) KeysOf(string key) => (EntityValues.HashKey(key), "");

    public string KeyOf(TokenRecord record) => record.Hash;

    public TableEntity ToEntity(TokenRecord record)
    {
        var (pk, rk) = KeysOf(record.Hash);
        EntityValues.UserKey(record.User);
        return new TableEntity(pk, rk)
        {
            ["Id"] = record.Id,
            ["User"] = record.User,
            ["Scopes"] = EntityValues.WriteList(record.Scopes),
            ["Note"] = record.Note,
            ["Created"] = record.Created,
            ["Expires"] = record.Expires,
            ["LastActivity"] = record.LastActivity,
        };
    }

    public TokenRecord FromEntity(TableEntity entity) => new()
    {
        Hash = entity.PartitionKey,
        Id = EntityValues.Required(entity, "Id"),
        User = EntityValues.Required(entity, "User"),
        Scopes = EntityValues.ReadList(entity, "Scopes"),
        Note = entity.GetString("Note"),
        Created = EntityValues.RequiredTime(entity, "Created"),
        Expires = entity.GetDateTimeOffset("Expires"),
        LastActivity = entity.GetDateTimeOffset("LastActivity"),
        Version = entity.ETag.ToString(),
    };

    public TokenRecord WithVersion(TokenRecord record, string version) => record with { Version = version };
}
