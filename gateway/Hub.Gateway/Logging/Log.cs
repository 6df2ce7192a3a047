namespace Hub.Gateway.Logging;

/// <summary>
/// The gateway's log events. Ids are stable so that alerts can match them:
/// 1xxx hosting, 2xxx routes, 3xxx credentials, 4xxx forwarding, 5xxx WebSockets, 6xxx activity.
/// User-supplied text is capped with <see cref="Hub.Core.Security.LogText"/> (names with Cap, paths and URLs with CapLong) before it reaches a log line.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Gateway listening on {Url}; /hub/ goes to {ControlPlane}")]
    public static partial void Listening(ILogger logger, string url, string controlPlane);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Routes loaded: {Count} route(s) in {Elapsed}")]
    public static partial void RoutesLoaded(ILogger logger, int count, TimeSpan elapsed);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Could not read the routes (still using {Count} route(s) read {Since}): {Reason}")]
    public static partial void RouteRefreshFailed(ILogger logger, int count, string since, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Routes changed: {Count} route(s)")]
    public static partial void RoutesChanged(ILogger logger, int count);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Could not look up the route of {Server}: {Reason}")]
    public static partial void RouteLookupFailed(ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Ignoring the route of {Server}: its target {Target} is not an http(s) URL")]
    public static partial void RouteInvalid(ILogger logger, string server, string target);

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Could not check credentials against the store: {Reason}")]
    public static partial void CredentialLookupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "The store does not answer credential lookups in time: serving sessions and tokens validated within the last {Window}")]
    public static partial void ServingStaleCredentials(ILogger logger, TimeSpan window);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Closed a connection of {User} to {Server}: the share that opened it was revoked")]
    public static partial void SharedConnectionEnded(ILogger logger, string user, string server);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Forwarding {Method} {Path} to {Backend} failed: {Error} ({Reason})")]
    public static partial void ForwardFailed(ILogger logger, string method, string path, string backend, string error, string reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "The client aborted {Method} {Path}")]
    public static partial void ClientAborted(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 5000, Level = LogLevel.Debug, Message = "WebSocket to {Server} opened")]
    public static partial void WebSocketOpened(ILogger logger, string server);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "WebSocket to {Server} closed ({Status})")]
    public static partial void WebSocketClosed(ILogger logger, string server, string status);

    [LoggerMessage(EventId = 6000, Level = LogLevel.Warning, Message = "Could not record the activity of {Server} (and of any other server that failed with it); kept in memory for a later batch: {Reason}")]
    public static partial void ActivityWriteFailed(ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Recorded activity of {Count} server(s)")]
    public static partial void ActivityWritten(ILogger logger, int count);
}
