using Azure.Data.Tables;
using Hub.Core.Sharing;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>sharecodes: PartitionKey = hash of the code, RowKey = "" (a point read per exchange); an owner's codes are a query on <c>Owner</c>.</summary>
internal sealed class ShareCodeEntityMap : ITableRecordMap<string, ShareCodeRecord>
{
    public static readonly ShareCodeEntityMap Instance = new();

    public (string PartitionKey, string RowKey) KeysOf(string key) => (EntityValues.HashKey(key), "");

    public string KeyOf(ShareCodeRecord record) => record.Hash;

    public TableEntity ToEntity(ShareCodeRecord record)
    {
        var (pk, rk) = KeysOf(record.Hash);
        EntityValues.UserKey(record.Server.User);
        return new TableEntity(pk, rk)
        {
            ["Id"] = record.Id,
            ["Owner"] = record.Server.User,
            ["Server"] = record.Server.Server,
            ["Scopes"] = EntityValues.WriteList(record.Scopes),
            ["Created"] = record.Created,
            ["Expires"] = record.Expires,
            ["ExchangeCount"] = record.ExchangeCount,
            ["LastExchanged"] = record.LastExchanged,
        };
    }

    public ShareCodeRecord FromEntity(TableEntity entity) => new()
    {
        Hash = entity.PartitionKey,
        Id = EntityValues.Required(entity, "Id"),
        Server = new ServerKey(EntityValues.Required(entity, "Owner"), entity.GetString("Server") ?? ""),
        Scopes = EntityValues.ReadList(entity, "Scopes"),
        Created = EntityValues.RequiredTime(entity, "Created"),
        Expires = EntityValues.RequiredTime(entity, "Expires"),
        ExchangeCount = entity.GetInt32("ExchangeCount") ?? 0,
        LastExchanged = entity.GetDateTimeOffset("LastExchanged"),
        Version = entity.ETag.ToString(),
    };

    public ShareCodeRecord WithVersion(ShareCodeRecord record, string version) => record with { Version = version };
}
