using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// A way of running Jupyter servers (local processes, Azure Container Instances). The reconcile loop
/// (<see cref="ServerReconciler"/>) calls it; timeouts, retries, limits, routes and progress belong to the loop, not to
/// the spawner. Every method may be called again after a crash of the control plane at any point, with the same
/// arguments, and must then reach the same outcome: resources are named after the server, so a repeated start finds
/// what an earlier one created instead of creating a second server.
/// <para>
/// What each method means in each state of the server's resources:
/// </para>
/// <list type="table">
/// <listheader><term>resources</term><description>Start / Poll / Stop</description></listheader>
/// <item><term>never started, or gone</term><description>Start creates them (storage first, kept forever) and answers
/// <see cref="SpawnerStatus.Creating"/>, <see cref="SpawnerStatus.Starting"/> or <see cref="SpawnerStatus.Running"/>;
/// Poll answers <see cref="SpawnerStatus.Absent"/>; Stop answers <see cref="SpawnerStatus.Absent"/>.</description></item>
/// <item><term>being created</term><description>Start answers as Poll (it never creates a second set); Poll answers
/// <see cref="SpawnerStatus.Creating"/> or <see cref="SpawnerStatus.Starting"/>; Stop removes them.</description></item>
/// <item><term>running</term><description>Start and Poll answer <see cref="SpawnerStatus.Running"/> with the
/// <see cref="SpawnerObservation.Target"/> (whether Jupyter answers HTTP is the loop's check); Stop removes them.</description></item>
/// <item><term>failed (exited, failed provisioning)</term><description>Start and Poll answer
/// <see cref="SpawnerStatus.Failed"/> with the reason; the loop then calls Stop, and may start again.</description></item>
/// <item><term>being removed</term><description>Poll and Stop answer <see cref="SpawnerStatus.Stopping"/> until they
/// are gone, then <see cref="SpawnerStatus.Absent"/>.</description></item>
/// </list>
/// <para>
/// Any call may instead answer <see cref="SpawnerStatus.Waiting"/> (throttled, out of quota) with a
/// <see cref="SpawnerObservation.RetryAfter"/>: nothing changed, ask again later. Unexpected errors are exceptions;
/// the loop logs them and tries the step again later. Stop never deletes the user's files.
/// </para>
/// </summary>
public interface ISpawner
{
    /// <summary>The mechanism, for logs and admins: <c>local-process</c>, <c>container-instances</c>.</summary>
    string Kind { get; }

    /// <summary>Creates the server's storage (if new) and compute, or finds what an earlier call created.</summary>
    Task<SpawnerObservation> StartAsync(SpawnerStart start, CancellationToken cancellationToken);

    /// <summary>Observes the server's resources; changes nothing.</summary>
    Task<SpawnerObservation> PollAsync(SpawnerServer server, CancellationToken cancellationToken);

    /// <summary>Removes the server's compute (never its storage); idempotent.</summary>
    Task<SpawnerObservation> StopAsync(SpawnerServer server, CancellationToken cancellationToken);

    /// <summary>
    /// Every server whose compute this spawner's resources hold (for the reconcile timer's orphan sweep): resources
    /// no active record owns are stopped. Only resources marked as this hub's are listed.
    /// </summary>
    IAsyncEnumerable<SpawnedServer> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A server as the spawner sees it: which one, and the opaque state the spawner returned last time.</summary>
/// <param name="Key">Owner and server name.</param>
/// <param name="State">What the spawner last returned in <see cref="SpawnerObservation.State"/>; <c>null</c> at first.</param>
public record SpawnerServer(ServerKey Key, string? State);

/// <summary>A start: the server, its token and what it should run.</summary>
/// <param name="Token">The server's token (derived, never stored): Jupyter must accept it and nothing else.</param>
/// <param name="Profile">The profile chosen (the default profile when none was).</param>
/// <param name="Attempt">1 for the first attempt of this start, 2 after one failed attempt was cleaned up, …</param>
public sealed record SpawnerStart(ServerKey Key, string? State, string Token, SpawnProfile Profile, int Attempt) : SpawnerServer(Key, State)
{
    /// <summary>The hub's REST API as the server reaches it (<c>JUPYTERHUB_API_URL</c>, see <see cref="ServerEnvironment"/>).</summary>
    public Uri HubApiUrl { get; init; } = new("http://127.0.0.1:8000/hub/api");

    /// <summary>What runs in the server.</summary>
    public ServerKind ServerKind { get; init; }

    /// <summary>Never print the token.</summary>
    public override string ToString() => $"SpawnerStart {{ Key = {Key}, Profile = {Profile.Slug}, Attempt = {Attempt} }}";
}

/// <summary>Where a server's resources are.</summary>
public enum SpawnerStatus
{
    /// <summary>Nothing exists: never started, or removed.</summary>
    Absent,

    /// <summary>The resources are being created (for ACI: provisioning, pulling the image).</summary>
    Creating,

    /// <summary>The resources exist and the server process is starting.</summary>
    Starting,

    /// <summary>The server process runs at <see cref="SpawnerObservation.Target"/>; it may not answer HTTP yet.</summary>
    Running,

    /// <summary>The resources failed (process exited, provisioning failed); <see cref="SpawnerObservation.Message"/> says why.</summary>
    Failed,

    /// <summary>The resources are being removed.</summary>
    Stopping,

    /// <summary>Nothing could be done now (throttled, over quota); try again after <see cref="SpawnerObservation.RetryAfter"/>.</summary>
    Waiting,
}

/// <summary>What a spawner observed or did.</summary>
/// <param name="Status">Where the resources are.</param>
/// <param name="State">The spawner's state to keep with the server (opaque to everyone else); <c>null</c> keeps the previous one.</param>
/// <param name="Target">With <see cref="SpawnerStatus.Running"/>: the server's base URL as the gateway reaches it.</param>
/// <param name="Message">For the student: what is happening or why it failed, in plain words.</param>
/// <param name="Detail">For admins and the log: the underlying error (never a secret).</param>
/// <param name="RetryAfter">When to look again: Azure's Retry-After, the expected end of provisioning, ….</param>
public sealed record SpawnerObservation(
    SpawnerStatus Status,
    string? State = null,
    Uri? Target = null,
    string? Message = null,
    string? Detail = null,
    TimeSpan? RetryAfter = null);

/// <summary>A server whose resources exist, as <see cref="ISpawner.ListAsync"/> reports it.</summary>
/// <param name="Key">The server the resources were created for (from their tags or files).</param>
/// <param name="Resource">The resource's own name (container group, process id), for logs.</param>
/// <param name="State">A state with which <see cref="ISpawner.StopAsync"/> can remove it.</param>
public sealed record SpawnedServer(ServerKey Key, string Resource, string? State);
