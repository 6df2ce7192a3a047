namespace Hub.Functions.Logging;

/// <summary>
/// The control plane's log events. Ids are stable so that alerts can match them:
/// 1xxx hosting, 2xxx store, 3xxx login, sessions and tokens (Auth/Log.Auth.cs), 4xxx spawning, 5xxx REST API,
/// 6xxx timers and culling.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Control plane listening on {Url}")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Tables ready at {Endpoint} after {Attempts} attempt(s)")]
    public static partial void StoreInitialized(ILogger logger, string endpoint, int attempts);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Could not prepare the tables at {Endpoint} (attempt {Attempt}); retrying in {RetryIn}: {Reason}")]
    public static partial void StoreInitializationFailed(ILogger logger, string endpoint, int attempt, TimeSpan retryIn, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Health check: {Description}")]
    public static partial void StoreUnhealthy(ILogger logger, string description);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Method} {Route} answered 503: the store did not answer in time or failed ({Failure})")]
    public static partial void StoreUnavailable(ILogger logger, string method, string route, string failure);

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Timer {Job} ({Source}) finished in {Elapsed}")]
    public static partial void TimerRan(ILogger logger, string job, Hub.Functions.Timers.TimerTriggerSource source, TimeSpan elapsed);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Timer {Job} ({Source}) skipped: its previous run is still going")]
    public static partial void TimerSkipped(ILogger logger, string job, Hub.Functions.Timers.TimerTriggerSource source);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Timer {Job} ({Source}) failed")]
    public static partial void TimerFailed(ILogger logger, string job, Hub.Functions.Timers.TimerTriggerSource source, Exception exception);
}
