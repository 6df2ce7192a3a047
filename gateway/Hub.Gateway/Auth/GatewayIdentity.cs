namespace Hub.Gateway.Auth;

/// <summary>Who sent a request, as far as the gateway needs to know.</summary>
/// <param name="User">The user's normalised name.</param>
/// <param name="Admin">The user is a hub admin (may open every server).</param>
/// <param name="Scopes">With an API token: its scopes. <c>null</c> for a session, which carries all of its user's rights.</param>
public sealed record GatewayIdentity(string User, bool Admin, IReadOnlyList<string>? Scopes)
{
    public bool ViaToken => Scopes is not null;
}

/// <summary>What the credentials of a request amounted to.</summary>
public enum AuthenticationOutcome
{
    /// <summary>No session cookie and no token.</summary>
    None,

    /// <summary>Credentials that are unknown, expired, or belong to a deleted user.</summary>
    Invalid,

    /// <summary>Valid credentials; see <see cref="AuthenticationResult.Identity"/>.</summary>
    Authenticated,

    /// <summary>The store could not be asked (503; the client may retry).</summary>
    Unavailable,
}

public readonly record struct AuthenticationResult(AuthenticationOutcome Outcome, GatewayIdentity? Identity = null, string? Reason = null);
