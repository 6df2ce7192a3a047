namespace Hub.Core.Store;

/// <summary>An API token. Only its hash is stored; the token is shown once, when it is created.</summary>
public sealed record TokenRecord : IStoredRecord
{
    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string Hash { get; init; }

    /// <summary>The token's public id, as the REST API lists it.</summary>
    public required string Id { get; init; }

    public required string User { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public string? Note { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public DateTimeOffset? LastActivity { get; init; }

    public string? Version { get; init; }
}
