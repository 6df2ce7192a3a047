namespace Hub.Core.Store;

/// <summary>A hub user. <see cref="Name"/> is already normalised (see <c>UserNamePolicy</c>).</summary>
public sealed record UserRecord : IStoredRecord
{
    public required string Name { get; init; }

    public bool Admin { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>The latest activity seen from the user or any of their servers.</summary>
    public DateTimeOffset? LastActivity { get; init; }

    /// <summary>Group names (course membership), as the authenticator or an admin set them.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public string? Version { get; init; }
}
