namespace Hub.Core.Store;

/// <summary>A login session. Only the hash of the session id is stored; the id itself lives in the user's cookie.</summary>
public sealed record SessionRecord : IStoredRecord
{
    /// <summary>Lower-case hex SHA-256 of the session id.</summary>
    public required string IdHash { get; init; }

    public required string User { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Expires { get; init; }

    public string? Version { get; init; }
}
