using System.Globalization;
using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>
/// usage: PartitionKey = encoded owner, RowKey = encoded server name, <c>@</c>, the run's start in UTC ticks (19
/// digits, so a server's runs sort by time). One row per run: writing a run again replaces its row.
/// </summary>
internal sealed class UsageEntityMap : ITableRecordMap<UsageKey, UsageRecord>
{
    public static readonly UsageEntityMap Instance = new();

    public (string PartitionKey, string RowKey) KeysOf(UsageKey key) =>
        (EntityValues.UserKey(key.User), TableKey.Encode(key.Server) + "@" + key.Started.UtcTicks.ToString("D19", CultureInfo.InvariantCulture));

    public UsageKey KeyOf(UsageRecord record) => record.Key;

    public TableEntity ToEntity(UsageRecord record)
    {
        var (pk, rk) = KeysOf(record.Key);
        return new TableEntity(pk, rk)
        {
            ["User"] = record.User,
            ["Server"] = record.Server,
            ["Started"] = record.Started,
            ["Ended"] = record.Ended,
            ["Cpu"] = record.Cpu,
            ["MemoryInGb"] = record.MemoryInGb,
            ["Profile"] = record.Profile,
            ["Groups"] = EntityValues.WriteList(record.Groups),
        };
    }

    public UsageRecord FromEntity(TableEntity entity) => new()
    {
        User = EntityValues.Required(entity, "User"),
        Server = entity.GetString("Server") ?? "",
        Started = EntityValues.RequiredTime(entity, "Started"),
        Ended = EntityValues.RequiredTime(entity, "Ended"),
        Cpu = entity.GetDouble("Cpu") ?? 0,
        MemoryInGb = entity.GetDouble("MemoryInGb") ?? 0,
        Profile = entity.GetString("Profile"),
        Groups = EntityValues.ReadList(entity, "Groups"),
        Version = entity.ETag.ToString(),
    };

    public UsageRecord WithVersion(UsageRecord record, string version) => record with { Version = version };
}
