using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>servers: PartitionKey = encoded owner, RowKey = encoded server name ("" for the default server).</summary>
internal sealed class ServerEntityMap : ITableRecordMap<ServerKey, ServerRecord>
{
    public static readonly ServerEntityMap Instance = new();

    /// <summary>
    /// A merge cannot remove a property, so a merge that clears the message stores it empty; read, an empty message
    /// is none.
    /// </summary>
    public const string NoMessage = "";

    public (string PartitionKey, string RowKey) KeysOf(ServerKey key) => (EntityValues.UserKey(key.User), TableKey.Encode(key.Server));

    public ServerKey KeyOf(ServerRecord record) => record.Key;

    public TableEntity ToEntity(ServerRecord record)
    {
        var (pk, rk) = KeysOf(record.Key);
        return new TableEntity(pk, rk)
        {
            ["User"] = record.User,
            ["Name"] = record.Name,
            ["Desired"] = record.Desired.ToString(),
            ["Phase"] = record.Phase.ToString(),
            ["Requested"] = record.Requested,
            ["Started"] = record.Started,
            ["LastActivity"] = record.LastActivity,
            ["LastActivityKind"] = record.LastActivityKind is { } kind ? ActivityKinds.Label(kind) : null,
            ["Target"] = record.Target,
            ["SpawnerState"] = record.SpawnerState,
            ["Profile"] = record.Profile,
            ["Message"] = record.Message,
            ["TokenNonce"] = record.TokenNonce,
            ["PhaseSince"] = record.PhaseSince,
            ["Admitted"] = record.Admitted,
            ["Launched"] = record.Launched,
            ["Attempts"] = record.Attempts,
            ["NextCheck"] = record.NextCheck,
            ["Failure"] = record.Failure,
            ["UsedSeconds"] = record.UsedSeconds,
        };
    }

    public ServerRecord FromEntity(TableEntity entity) => new()
    {
        User = EntityValues.Required(entity, "User"),
        Name = entity.GetString("Name") ?? "",
        Desired = EntityValues.ReadEnum(entity, "Desired", ServerDesiredState.Stopped),
        Phase = EntityValues.ReadEnum(entity, "Phase", ServerPhase.Stopped),
        Requested = entity.GetDateTimeOffset("Requested"),
        Started = entity.GetDateTimeOffset("Started"),
        LastActivity = entity.GetDateTimeOffset("LastActivity"),
        // Rows written before kinds were recorded (or by a newer version's unknown kind) have none.
        LastActivityKind = ActivityKinds.Parse(entity.GetString("LastActivityKind")),
        Target = entity.GetString("Target"),
        SpawnerState = entity.GetString("SpawnerState"),
        Profile = entity.GetString("Profile"),
        Message = entity.GetString("Message") is { Length: > 0 } message ? message : null,
        TokenNonce = entity.GetString("TokenNonce"),
        PhaseSince = entity.GetDateTimeOffset("PhaseSince"),
        Admitted = entity.GetDateTimeOffset("Admitted"),
        Launched = entity.GetDateTimeOffset("Launched"),
        Attempts = entity.GetInt32("Attempts") ?? 0,
        NextCheck = entity.GetDateTimeOffset("NextCheck"),
        Failure = entity.GetString("Failure"),
        // Rows written before server-hours were counted have no such property: nothing used yet.
        UsedSeconds = entity.GetInt64("UsedSeconds") ?? 0,
        Version = entity.ETag.ToString(),
    };

    public ServerRecord WithVersion(ServerRecord record, string version) => record with { Version = version };
}
