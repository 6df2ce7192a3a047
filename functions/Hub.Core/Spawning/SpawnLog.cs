using Hub.Core.Store;
using Hub.Core.Users;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning;

/// <summary>
/// Spawning's log events (ids 4000–4499; the ARM client and ACI spawner use 4500–4999). A server appears as
/// <c>{Server}</c> in the form <c>user</c> or <c>user/server</c>, cut to a safe length; tokens never appear.
/// </summary>
internal static partial class SpawnLog
{
    public static string Name(ServerKey server) => UserNamePolicy.Shorten(server.ToString());

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Start of {Server} requested (profile {Profile})")]
    public static partial void StartRequested(ILogger logger, string server, string profile);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Stop of {Server} requested")]
    public static partial void StopRequested(ILogger logger, string server);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "{Server} left the queue after {Waited}")]
    public static partial void Admitted(ILogger logger, string server, TimeSpan waited);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "{Server} is ready at {Target} after {Elapsed} (attempt {Attempt})")]
    public static partial void Ready(ILogger logger, string server, Uri target, TimeSpan elapsed, int attempt);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "{Server}: attempt {Attempt} failed ({Reason}), retrying: {Detail}")]
    public static partial void AttemptFailed(ILogger logger, string server, int attempt, string reason, string detail);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "{Server} failed to start ({Reason}): {Detail}")]
    public static partial void StartFailed(ILogger logger, string server, string reason, string detail);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "{Server} stopped")]
    public static partial void Stopped(ILogger logger, string server);

    // Information: waiting is expected in a burst; the spawner logs throttling and quota themselves as warnings.
    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "{Server} waits {RetryAfter} for {Spawner}: {Detail}")]
    public static partial void Waiting(ILogger logger, string server, TimeSpan retryAfter, string spawner, string detail);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "A reconcile step of {Server} failed; retrying in {RetryIn}")]
    public static partial void StepFailed(ILogger logger, Exception exception, string server, TimeSpan retryIn);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Removed orphaned resources {Resource} of {Server} (no active server record)")]
    public static partial void OrphanRemoved(ILogger logger, string resource, string server);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "{Server} was running but its resources are gone; cleaning up")]
    public static partial void ServerDied(ILogger logger, string server);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Reconcile sweep: {Active} active servers stepped, {Orphans} orphans and {StaleRoutes} stale routes removed, {Died} dead servers found, in {Elapsed}")]
    public static partial void Swept(ILogger logger, int active, int orphans, int staleRoutes, int died, TimeSpan elapsed);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Debug, Message = "The first reconcile sweep waits until the store's tables exist")]
    public static partial void WaitingForStore(ILogger logger);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "The reconcile sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Could not list the spawner's resources, so orphans and dead servers are not checked this time: {Reason}")]
    public static partial void ListFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Removed the stale route of {Server}")]
    public static partial void StaleRouteRemoved(ILogger logger, string server);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Started Jupyter for {Server}: process {ProcessId} on 127.0.0.1:{Port}")]
    public static partial void ProcessLaunched(ILogger logger, string server, int processId, int port);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Found the running Jupyter process {ProcessId} of {Server}; adopting it")]
    public static partial void ProcessAdopted(ILogger logger, int processId, string server);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Stopped the Jupyter process {ProcessId} of {Server}{How}")]
    public static partial void ProcessStopped(ILogger logger, int processId, string server, string how);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Created the home folder of {User} at {Path}")]
    public static partial void HomeCreated(ILogger logger, string user, string path);
}
