using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// What the REST API and the pages ask of spawning: start, stop, and watch a server. Implementations never hold a
/// request for the whole spawn (a Functions request is capped at 230 s): they record the desired state, advance what
/// they can within a short wait, and report where things stand. Every call is idempotent.
/// </summary>
public interface IServerLifecycle
{
    /// <summary>Asks for the server to run; creates its record if the user has none.</summary>
    /// <param name="server">Owner (an existing user) and server name.</param>
    /// <param name="options">The profile and user options chosen at start.</param>
    Task<StartResult> RequestStartAsync(ServerKey server, StartOptions options, CancellationToken cancellationToken = default);

    /// <summary>Asks for the server to stop and waits a short while for it. Its files are never deleted.</summary>
    Task<StopResult> RequestStopAsync(ServerKey server, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks for the server to stop and returns as soon as that is recorded (<see cref="StopStatus.Pending"/>, or
    /// <see cref="StopStatus.Stopped"/> if it was not running); the reconcile loop does the stopping. For callers that
    /// stop many servers at once, such as the idle culler, which must not wait for each spawner in turn.
    /// </summary>
    Task<StopResult> BeginStopAsync(ServerKey server, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="BeginStopAsync(ServerKey, CancellationToken)"/> for a record the caller has read and decided on,
    /// without reading it again: the stop is recorded only if the record is still at <paramref name="seen"/>'s
    /// version, so activity, a start or any other write that landed since is never overwritten. The record may be
    /// partial (<see cref="IServerStore.ListActiveForCullingAsync"/>): its key, desired state, phase and version are
    /// what is used. For callers that decide on many records read at once, such as the idle culler.
    /// </summary>
    /// <returns>
    /// As <see cref="BeginStopAsync(ServerKey, CancellationToken)"/>; <c>null</c> if the record changed since it was
    /// read: read it again and decide again.
    /// </returns>
    Task<StopResult?> BeginStopIfUnchangedAsync(ServerRecord seen, CancellationToken cancellationToken = default);

    /// <summary>
    /// Progress of the current start, as JupyterHub's progress event stream reports it: events until one is
    /// <see cref="SpawnProgress.Ready"/> or <see cref="SpawnProgress.Failed"/>, then the sequence ends. Ends at once
    /// with the ready event if the server is running. Throws <see cref="ServerNotStartingException"/> if the server
    /// is neither starting nor running nor failed.
    /// </summary>
    IAsyncEnumerable<SpawnProgress> WatchAsync(ServerKey server, CancellationToken cancellationToken = default);
}

/// <summary>How a start request ended, mapped by the REST API to JupyterHub's status codes.</summary>
public enum StartStatus
{
    /// <summary>The server is running and answering (201).</summary>
    Ready,

    /// <summary>Accepted; queued or starting (202). Follow <see cref="IServerLifecycle.WatchAsync"/>.</summary>
    Pending,

    /// <summary>Already running (400, "{name} is already running").</summary>
    AlreadyRunning,

    /// <summary>A stop is in progress (400, "{name} is pending stop").</summary>
    StopPending,

    /// <summary>A limit was reached and the request was not queued (429 with <see cref="StartResult.RetryAfter"/>).</summary>
    Throttled,

    /// <summary>The start failed before the request's wait ended; <see cref="StartResult.Message"/> says why (500, as JupyterHub answers a spawn that failed at once).</summary>
    Failed,

    /// <summary>The options ask for something that is not offered, such as an unknown profile (400 with <see cref="StartResult.Message"/>).</summary>
    InvalidOptions,

    /// <summary>A usage quota or budget is used up (403 with <see cref="StartResult.Refusal"/>); see <see cref="IStartAdmission"/>.</summary>
    Refused,
}

/// <param name="Status">The outcome.</param>
/// <param name="Message">For people: why it was refused or throttled, or what is happening.</param>
/// <param name="RetryAfter">With <see cref="StartStatus.Throttled"/>: when to try again.</param>
/// <param name="Refusal">With <see cref="StartStatus.Refused"/>: what was used, the limit and when it resets.</param>
public sealed record StartResult(StartStatus Status, string? Message = null, TimeSpan? RetryAfter = null, StartRefusal? Refusal = null);

/// <summary>How a stop request ended.</summary>
public enum StopStatus
{
    /// <summary>Stopped, or was not running (204).</summary>
    Stopped,

    /// <summary>Stopping in the background (202).</summary>
    Pending,
}

public sealed record StopResult(StopStatus Status, string? Message = null);

/// <summary>What the student picked when starting (JupyterHub's <c>user_options</c>).</summary>
/// <param name="Profile">A configured profile's slug, or <c>null</c> for the default.</param>
/// <param name="UserOptions">Other options, passed through as given.</param>
public sealed record StartOptions(string? Profile = null, IReadOnlyDictionary<string, string>? UserOptions = null)
{
    public static readonly StartOptions Default = new();
}

/// <summary>
/// One progress event, as in JupyterHub's <c>/progress</c> stream: <c>{progress, message, ready?, failed?, url?}</c>.
/// </summary>
/// <param name="Progress">0 to 100.</param>
/// <param name="Message">For the student: "Waiting for a free slot (position 12)", "Starting Jupyter", ….</param>
/// <param name="Ready">The final event of a successful start.</param>
/// <param name="Failed">The final event of a failed start; <paramref name="Message"/> says why.</param>
/// <param name="QueuePosition">While queued: the position, 1 being next.</param>
/// <param name="Url">With <paramref name="Ready"/>: the server's URL path, e.g. <c>/user/alice/</c>.</param>
public sealed record SpawnProgress(int Progress, string Message, bool Ready = false, bool Failed = false, int? QueuePosition = null, string? Url = null);

/// <summary>The server is not starting and has no recorded failure (the progress API answers 400).</summary>
public sealed class ServerNotStartingException(ServerKey server) : InvalidOperationException($"{server} is not starting.")
{
    public ServerKey Server { get; } = server;
}
