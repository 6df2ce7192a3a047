namespace Hub.Core.Store;

/// <summary>Identifies one server: its owner and its name (<c>""</c> is the default server).</summary>
public readonly record struct ServerKey(string User, string Server)
{
    public override string ToString() => Server.Length == 0 ? User : User + "/" + Server;
}

/// <summary>What the owner (or an admin, or the culler) asked for.</summary>
public enum ServerDesiredState
{
    Stopped,
    Running,
}

/// <summary>Where a server is on its way between stopped and running, as last observed.</summary>
public enum ServerPhase
{
    /// <summary>Nothing is running.</summary>
    Stopped,

    /// <summary>Waiting for a free spawn slot (see the queue position).</summary>
    Queued,

    /// <summary>The spawner is creating the server's resources.</summary>
    Creating,

    /// <summary>The resources exist; the server process is starting.</summary>
    Starting,

    /// <summary>Started; waiting for the server to answer HTTP.</summary>
    WaitingForHttp,

    /// <summary>Answering; its route is published.</summary>
    Running,

    /// <summary>The spawner is removing the server's resources.</summary>
    Stopping,

    /// <summary>The last start failed; <see cref="ServerRecord.Message"/> says why.</summary>
    Failed,
}

/// <summary>
/// One user's server: desired and observed state, and what the spawner needs to find it again. The reconcile loop
/// (<c>Hub.Core.Spawning.ServerReconciler</c>) is its only writer apart from start and stop requests; every write is
/// conditional on <see cref="Version"/>, and every side effect (creating or removing resources) is claimed by a write
/// first, so that a control plane killed at any point leaves a record from which the next step can continue.
/// </summary>
public sealed record ServerRecord : IStoredRecord
{
    public required string User { get; init; }

    /// <summary>The server's name; <c>""</c> for the default server.</summary>
    public string Name { get; init; } = "";

    public ServerKey Key => new(User, Name);

    public ServerDesiredState Desired { get; init; }

    public ServerPhase Phase { get; init; }

    /// <summary>When the current start was requested.</summary>
    public DateTimeOffset? Requested { get; init; }

    /// <summary>
    /// When the server became ready in the current run; <c>null</c> once the run is over and counted in
    /// <see cref="UsedSeconds"/> (see <c>Hub.Core.Spawning.ServerUsage</c>).
    /// </summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>
    /// Seconds the server ran in its completed runs (server-hours, for the admin page and the API). A run is added
    /// in the same conditional write that clears <see cref="Started"/>, so a repeated stop step cannot add it twice.
    /// </summary>
    public long UsedSeconds { get; init; }

    public DateTimeOffset? LastActivity { get; init; }

    /// <summary>What <see cref="LastActivity"/> was; written together with it, only ever with a later time.</summary>
    public ActivityKind? LastActivityKind { get; init; }

    /// <summary>The server's URL as the gateway reaches it, once known.</summary>
    public string? Target { get; init; }

    /// <summary>The spawner's own state (opaque to everything else), so a restarted control plane can find the server again.</summary>
    public string? SpawnerState { get; init; }

    /// <summary>The profile chosen at start, if profiles are configured.</summary>
    public string? Profile { get; init; }

    /// <summary>The last progress or failure message, for the user.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// The nonce of the current start (see <c>ServerTokens</c>): fresh for every start, chosen before the spawner is
    /// called so that a repeated step starts the server with the same token. Copied to the route.
    /// </summary>
    public string? TokenNonce { get; init; }

    /// <summary>When the server entered <see cref="Phase"/>.</summary>
    public DateTimeOffset? PhaseSince { get; init; }

    /// <summary>When the start left the queue; the start timeout counts from here.</summary>
    public DateTimeOffset? Admitted { get; init; }

    /// <summary>When the spawner accepted the current attempt's start; <c>null</c> while it still has to be asked.</summary>
    public DateTimeOffset? Launched { get; init; }

    /// <summary>Attempts made in the current start (a failed attempt is cleaned up and retried, up to a limit).</summary>
    public int Attempts { get; init; }

    /// <summary>Do not take the next step before this (Azure's Retry-After, the next poll, the next queue check).</summary>
    public DateTimeOffset? NextCheck { get; init; }

    /// <summary>
    /// Why the last start failed, as a short reason (<c>timeout</c>, <c>http-timeout</c>, <c>failed</c>, <c>exited</c>);
    /// <c>null</c> when it did not. Set when the failure is decided, before its resources are removed.
    /// </summary>
    public string? Failure { get; init; }

    public string? Version { get; init; }
}
