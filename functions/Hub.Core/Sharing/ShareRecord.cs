using Hub.Core.Store;

namespace Hub.Core.Sharing;

/// <summary>Whom a share is granted to: one user, or every member of one group.</summary>
public enum ShareRecipientKind
{
    User,
    Group,
}

/// <summary>The user or group a share is granted to.</summary>
/// <param name="Kind">User or group.</param>
/// <param name="Name">The user's normalised name, or the group's name as stored on its members.</param>
public readonly record struct ShareRecipient(ShareRecipientKind Kind, string Name)
{
    public static ShareRecipient User(string name) => new(ShareRecipientKind.User, name);

    public static ShareRecipient Group(string name) => new(ShareRecipientKind.Group, name);

    public override string ToString() => (Kind == ShareRecipientKind.User ? "user:" : "group:") + Name;
}

/// <summary>Identifies one share: the server and the recipient (JupyterHub keeps at most one per pair).</summary>
public readonly record struct ShareKey(ServerKey Server, ShareRecipient Recipient);

/// <summary>
/// Shared access to one server, granted by its owner (or an admin) to a user or a group, as JupyterHub 5's
/// <c>Share</c>: its scopes always carry the filter <c>!server={owner}/{server}</c> (see <see cref="ShareScopes"/>),
/// so a share never reaches beyond that server. Deleting the record revokes the access.
/// </summary>
public sealed record ShareRecord : IStoredRecord
{
    public required ServerKey Server { get; init; }

    public required ShareRecipient Recipient { get; init; }

    public ShareKey Key => new(Server, Recipient);

    /// <summary>The scopes granted, sorted, each filtered to <see cref="Server"/>.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>When the share was first granted (later grants add scopes, not a new date).</summary>
    public required DateTimeOffset Created { get; init; }

    public string? Version { get; init; }
}
