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
}
