using Azure.Data.Tables;
using Hub.Core.Sharing;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>
/// shares: PartitionKey = the recipient (<c>u:</c> and the encoded user name, or <c>g:</c> and the encoded group
/// name), RowKey = the encoded <c>{owner}/{server}</c> (a server name holds no <c>/</c>, so the pair is recoverable).
/// What a user holds is one partition per recipient; an owner's shares are a query on <c>Owner</c>.
/// </summary>
internal sealed class ShareEntityMap : ITableRecordMap<ShareKey, ShareRecord>
{
    public static readonly ShareEntityMap Instance = new();

    public (string PartitionKey, string RowKey) KeysOf(ShareKey key)
    {
        EntityValues.UserKey(key.Server.User);
        return (RecipientKey(key.Recipient), TableKey.Encode(key.Server.User + "/" + key.Server.Server));
    }

    public static string RecipientKey(ShareRecipient recipient) => recipient.Kind == ShareRecipientKind.User
        ? "u:" + EntityValues.UserKey(recipient.Name)
        : "g:" + TableKey.Encode(recipient.Name);

    public ShareKey KeyOf(ShareRecord record) => record.Key;

    public TableEntity ToEntity(ShareRecord record)
    {
        var (pk, rk) = KeysOf(record.Key);
        return new TableEntity(pk, rk)
        {
            ["Owner"] = record.Server.User,
            ["Server"] = record.Server.Server,
            ["RecipientKind"] = record.Recipient.Kind.ToString(),
            ["Recipient"] = record.Recipient.Name,
            ["Scopes"] = EntityValues.WriteList(record.Scopes),
            ["Created"] = record.Created,
        };
    }

    public ShareRecord FromEntity(TableEntity entity) => new()
    {
        Server = new ServerKey(EntityValues.Required(entity, "Owner"), entity.GetString("Server") ?? ""),
        Recipient = new ShareRecipient(EntityValues.ReadEnum(entity, "RecipientKind", ShareRecipientKind.User), EntityValues.Required(entity, "Recipient")),
        Scopes = EntityValues.ReadList(entity, "Scopes"),
        Created = EntityValues.RequiredTime(entity, "Created"),
        Version = entity.ETag.ToString(),
    };

    public ShareRecord WithVersion(ShareRecord record, string version) => record with { Version = version };
}
