using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>routes: keyed like servers, so that a route and its server share a partition.</summary>
internal sealed class RouteEntityMap : ITableRecordMap<ServerKey, RouteRecord>
{
    public static readonly RouteEntityMap Instance = new();

    public (string PartitionKey, string RowKey) KeysOf(ServerKey key) => (EntityValues.UserKey(key.User), TableKey.Encode(key.Server));

    public ServerKey KeyOf(RouteRecord record) => record.Key;

    public TableEntity ToEntity(RouteRecord record)
    {
        var (pk, rk) = KeysOf(record.Key);
        return new TableEntity(pk, rk)
        {
            ["User"] = record.User,
            ["Server"] = record.Server,
            ["Target"] = record.Target.AbsoluteUri,
            ["TokenNonce"] = record.TokenNonce,
            ["HubAware"] = record.HubAware,
            ["Updated"] = record.Updated,
        };
    }

    public RouteRecord FromEntity(TableEntity entity) => new()
    {
        User = EntityValues.Required(entity, "User"),
        Server = entity.GetString("Server") ?? "",
        Target = new Uri(EntityValues.Required(entity, "Target")),
        TokenNonce = EntityValues.Required(entity, "TokenNonce"),
        HubAware = entity.GetBoolean("HubAware") ?? false,
        Updated = EntityValues.RequiredTime(entity, "Updated"),
        Version = entity.ETag.ToString(),
    };

    public RouteRecord WithVersion(RouteRecord record, string version) => record with { Version = version };
}
