namespace Hub.Functions.Logging;

/// <summary>Log events of the REST API: ids 5000–5999. Names arrive capped (LogText.Cap).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "{Requester} created user {User} (admin: {Admin})")]
    public static partial void UserCreated(ILogger logger, string requester, string user, bool admin);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "{Requester} deleted user {User}")]
    public static partial void UserDeleted(ILogger logger, string requester, string user);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Requester} set admin of {User} to {Admin}")]
    public static partial void AdminChanged(ILogger logger, string requester, string user, bool admin);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "{Requester} renamed user {User} to {NewName}")]
    public static partial void UserRenamed(ILogger logger, string requester, string user, string newName);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "{Requester} added {Count} users to group {Group}")]
    public static partial void GroupUsersAdded(ILogger logger, string requester, string group, int count);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "{Requester} removed {Count} users from group {Group}")]
    public static partial void GroupUsersRemoved(ILogger logger, string requester, string group, int count);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "{Requester} deleted group {Group} ({Count} members)")]
    public static partial void GroupDeleted(ILogger logger, string requester, string group, int count);
}
