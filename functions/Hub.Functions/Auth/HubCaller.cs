using Hub.Core.Auth;
using Hub.Core.Store;

namespace Hub.Functions.Auth;

/// <summary>How a request proved who it is.</summary>
public enum CallerCredential
{
    /// <summary>An API token in <c>Authorization: token …</c> or <c>Bearer …</c>.</summary>
    Token,

    /// <summary>The <c>hub-session</c> cookie.</summary>
    Session,
}

/// <summary>The authenticated caller of a request: the user, what the request may do, and how it authenticated.</summary>
/// <param name="User">The user as stored.</param>
/// <param name="Scopes">Expanded scopes of this request (a token's scopes narrowed to its owner's).</param>
/// <param name="Credential">Token or session.</param>
/// <param name="Token">With a token: its record.</param>
/// <param name="SessionIdHash">With a session: the hash of its id (binds the XSRF token).</param>
/// <param name="Service">With a service's API token: the service (<see cref="User"/> then stands for it and owns nothing).</param>
public sealed record HubCaller(UserRecord User, ScopeSet Scopes, CallerCredential Credential, TokenRecord? Token = null, string? SessionIdHash = null,
    Hub.Core.Services.ServiceDefinition? Service = null);

/// <summary>The outcome of authenticating a request: a caller, nobody, or a cookie login refused for a missing or wrong XSRF token.</summary>
public sealed record RequestAuthentication(HubCaller? Caller, string? XsrfProblem = null)
{
    public static readonly RequestAuthentication Anonymous = new(Caller: null);
}
