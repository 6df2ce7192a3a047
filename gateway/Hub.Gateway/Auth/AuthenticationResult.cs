using Hub.Core.Auth.Credentials;

namespace Hub.Gateway.Auth;

/// <summary>What the credentials of a request amounted to at the gateway.</summary>
/// <remarks>The first three are <see cref="CredentialOutcome"/>'s, with the same values.</remarks>
public enum AuthenticationOutcome
{
    /// <summary>No session cookie and no token.</summary>
    None = CredentialOutcome.None,

    /// <summary>Credentials that are too long, unknown or expired, or belong to a deleted or blocked user.</summary>
    Invalid = CredentialOutcome.Invalid,

    /// <summary>Valid credentials; see <see cref="AuthenticationResult.Identity"/>.</summary>
    Authenticated = CredentialOutcome.Authenticated,

    /// <summary>The store could not be asked (503; the client may retry).</summary>
    Unavailable,
}

/// <summary>The outcome, with the identity when authenticated and a reason for the person otherwise.</summary>
public readonly record struct AuthenticationResult(AuthenticationOutcome Outcome, CredentialIdentity? Identity = null, string? Reason = null);
