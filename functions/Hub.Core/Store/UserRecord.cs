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

    /// <summary>The home's size when last measured (see <c>HomeStorageSurvey</c>); <c>null</c>: no home or not measured.</summary>
    public Usage.HomeStorageUse? Home { get; init; }

    /// <summary>When the home was last measured (also when it was found missing); <c>null</c>: never.</summary>
    public DateTimeOffset? HomeMeasured { get; init; }

    public string? Version { get; init; }
}
