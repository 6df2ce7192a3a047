using Azure.Data.Tables;
using Hub.Core.Store;
using Hub.Core.Usage;

namespace Hub.Azure.Store;

/// <summary>users: PartitionKey = encoded name, RowKey = "".</summary>
internal sealed class UserEntityMap : ITableRecordMap<string, UserRecord>
{
    public static readonly UserEntityMap Instance = new();

    public (string PartitionKey, string RowKey) KeysOf(string key) => (EntityValues.UserKey(key), "");

    public string KeyOf(UserRecord record) => record.Name;

    public TableEntity ToEntity(UserRecord record)
    {
        var (pk, rk) = KeysOf(record.Name);
        return new TableEntity(pk, rk)
        {
            ["Name"] = record.Name,
            ["Admin"] = record.Admin,
            ["Created"] = record.Created,
            ["LastActivity"] = record.LastActivity,
            ["Groups"] = EntityValues.WriteList(record.Groups),
            ["HomeBytes"] = record.Home?.UsedBytes,
            ["HomeQuotaBytes"] = record.Home?.QuotaBytes,
            ["HomeComplete"] = record.Home?.Complete,
            ["HomeMeasured"] = record.HomeMeasured,
        };
    }

    public UserRecord FromEntity(TableEntity entity) => new()
    {
        Name = EntityValues.Required(entity, "Name"),
        Admin = entity.GetBoolean("Admin") ?? false,
        Created = EntityValues.RequiredTime(entity, "Created"),
        LastActivity = entity.GetDateTimeOffset("LastActivity"),
        Groups = EntityValues.ReadList(entity, "Groups"),
        Home = entity.GetInt64("HomeBytes") is { } bytes
            ? new HomeStorageUse(bytes, entity.GetInt64("HomeQuotaBytes")) { Complete = entity.GetBoolean("HomeComplete") ?? true }
            : null,
        HomeMeasured = entity.GetDateTimeOffset("HomeMeasured"),
        Version = entity.ETag.ToString(),
    };

    public UserRecord WithVersion(UserRecord record, string version) => record with { Version = version };
}
