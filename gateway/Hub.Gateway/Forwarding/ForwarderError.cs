namespace Hub.Gateway.Forwarding;

/// <summary>
/// How forwarding one request ended when it did not end well: the gateway's vocabulary for failures, into which YARP's
/// own error values are mapped (<see cref="ForwarderOutcomes"/>). Expected failures are values, not exceptions: the
/// dispatcher maps each to a status code (<see cref="ForwarderErrors.StatusCode"/>) and a page or problem+json.
/// </summary>
public enum ForwarderError
{
    /// <summary>Forwarded; the backend's response (whatever its status) reached the client.</summary>
    None,

    /// <summary>No route for the server (404 for WebSockets; other requests are redirected to the hub instead).</summary>
    NoRoute,

    /// <summary>The backend refused or dropped the connection before answering (502).</summary>
    BackendUnreachable,

    /// <summary>The backend did not accept the connection or send its response headers in time (504).</summary>
    Timeout,

    /// <summary>The client went away (or broke its request body) before the exchange finished; nothing more is sent.</summary>
    ClientAborted,

    /// <summary>
    /// The backend switched protocols but the WebSocket could not be set up: a wrong <c>Sec-WebSocket-Accept</c>, or a
    /// client connection that cannot be upgraded (502). A backend that refuses the handshake is not an error: its answer
    /// is passed on.
    /// </summary>
    UpgradeFailed,

    /// <summary>The backend failed while sending its response body; the client's connection is aborted so it sees a truncated response.</summary>
    ResponseInterrupted,

    /// <summary>
    /// .NET's HTTP client refused the backend's response as malformed: its head, or its body's framing (502, or an
    /// aborted connection once the body started).
    /// </summary>
    InvalidResponse,
}

/// <summary>Status codes and texts for <see cref="ForwarderError"/>.</summary>
public static class ForwarderErrors
{
    /// <summary>The status code sent for an error whose response has not started. 499 (client closed) is only counted, never sent.</summary>
    public static int StatusCode(ForwarderError error) => error switch
    {
        ForwarderError.None => StatusCodes.Status200OK,
        ForwarderError.NoRoute => StatusCodes.Status404NotFound,
        ForwarderError.Timeout => StatusCodes.Status504GatewayTimeout,
        ForwarderError.ClientAborted => 499,
        _ => StatusCodes.Status502BadGateway,
    };

    /// <summary>The metric label and the problem type suffix: kebab case.</summary>
    public static string Label(ForwarderError error) => error switch
    {
        ForwarderError.None => "none",
        ForwarderError.NoRoute => "no-route",
        ForwarderError.BackendUnreachable => "backend-unreachable",
        ForwarderError.Timeout => "timeout",
        ForwarderError.ClientAborted => "client-aborted",
        ForwarderError.UpgradeFailed => "upgrade-failed",
        ForwarderError.InvalidResponse => "invalid-response",
        _ => "response-interrupted",
    };

    public static string Title(ForwarderError error) => error switch
    {
        ForwarderError.NoRoute => "This server is not running",
        ForwarderError.BackendUnreachable => "The server is not answering",
        ForwarderError.Timeout => "The server took too long to answer",
        ForwarderError.UpgradeFailed => "The WebSocket connection could not be set up",
        ForwarderError.InvalidResponse => "The server's answer was not valid HTTP",
        _ => "The server's answer was interrupted",
    };
}
