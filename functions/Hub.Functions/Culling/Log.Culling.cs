using Hub.Core.Culling;

namespace Hub.Functions.Logging;

/// <summary>Log events of the idle culler (6100–6199) and lecture pre-warm (6200–6299). Names arrive capped (LogText.Cap).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information,
        Message = "Cull run: {Active} active servers ({Pending} pending), {Probed} asked, {KeptBusy} kept busy, {CulledIdle} culled idle, {CulledMaxAge} culled at max age, {StopFailures} stops failed, {UsersRemoved} users removed, in {Elapsed}")]
    public static partial void CullFinished(ILogger logger, int active, int pending, int probed, int keptBusy, int culledIdle, int culledMaxAge, int stopFailures, int usersRemoved, TimeSpan elapsed);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Culled {Server}: {Reason}, idle for {Idle}")]
    public static partial void ServerCulled(ILogger logger, string server, CullReason reason, TimeSpan idle);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Could not ask {Server} about its activity ({Problem}); judged on stored activity")]
    public static partial void ProbeFailed(ILogger logger, string server, string problem);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Culling {Server} failed; the next run tries again")]
    public static partial void CullStopFailed(ILogger logger, string server, Exception exception);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Removed inactive user {User} (last active {LastActive}); their files are kept")]
    public static partial void InactiveUserRemoved(ILogger logger, string user, DateTimeOffset lastActive);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "Could not record the activity {Server} reported ({Problem}); it stays running")]
    public static partial void ActivityWriteFailed(ILogger logger, string server, string problem);

    [LoggerMessage(EventId = 6200, Level = LogLevel.Information,
        Message = "Pre-warm for the lecture at {StartsAt} ({Lecture}): {Started} started, {Already} already warm, {Throttled} refused by a limit, {Failed} failed, {Unknown} not users yet")]
    public static partial void PrewarmFinished(ILogger logger, DateTimeOffset startsAt, string lecture, int started, int already, int throttled, int failed, int unknown);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Pre-warm could not start {Server}: {Reason}")]
    public static partial void PrewarmStartFailed(ILogger logger, string server, string reason);
}
