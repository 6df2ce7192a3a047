namespace Hub.Functions.Logging;

/// <summary>Log events of login, sessions and tokens: ids 3000–3999. User-typed values arrive capped (LogText.Cap).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "{User} logged in ({Authenticator})")]
    public static partial void LoggedIn(ILogger logger, string user, string authenticator);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Login refused for {User} from {Client}: {Reason}")]
    public static partial void LoginRefused(ILogger logger, string user, string client, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Login throttled for {User} from {Client}; retry in {RetryAfter}")]
    public static partial void LoginThrottled(ILogger logger, string user, string client, TimeSpan retryAfter);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "{User} logged out")]
    public static partial void LoggedOut(ILogger logger, string user);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}")]
    public static partial void XsrfRefused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "OpenID Connect sign-in failed: {Message} ({Reason})")]
    public static partial void OidcFailed(ILogger logger, string message, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "The dummy authenticator is on: anyone can log in as anyone, with any password. Never use it for real users.")]
    public static partial void DummyAuthenticatorWarning(ILogger logger);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Token {TokenId} created for {User} by {Requester}")]
    public static partial void TokenCreated(ILogger logger, string tokenId, string user, string requester);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Token {TokenId} of {User} revoked by {Requester}")]
    public static partial void TokenRevoked(ILogger logger, string tokenId, string user, string requester);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Server '{Server}' of blocked user {User} asked to stop (Auth__BlockedUsers)")]
    public static partial void BlockedUserServerStopped(ILogger logger, string user, string server);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Could not stop the servers of blocked users yet, trying again in {Delay}: {Reason}")]
    public static partial void BlockedUserServersFailed(ILogger logger, TimeSpan delay, string reason);
}
