namespace Hub.Core.Auth.Credentials;

/// <summary>What the credentials of a request amounted to.</summary>
public enum CredentialOutcome
{
    /// <summary>No session cookie and no token.</summary>
    None,

    /// <summary>Credentials that are too long, unknown or expired, or belong to a deleted or blocked user.</summary>
    Invalid,

    /// <summary>Valid credentials; see <see cref="CredentialResolution.Identity"/>.</summary>
    Authenticated,
}

/// <summary>The answer of <see cref="CredentialResolver"/>; a value, so that resolving a cached credential allocates nothing.</summary>
/// <param name="Outcome">None, invalid or authenticated.</param>
/// <param name="Identity">With <see cref="CredentialOutcome.Authenticated"/>: who and what scopes.</param>
/// <param name="Reason">With <see cref="CredentialOutcome.Invalid"/>: why, in words for the person who sent it.</param>
/// <param name="SessionIdHash">When a session authenticated: the hash of its id (the control plane binds XSRF tokens to it).</param>
public readonly record struct CredentialResolution(CredentialOutcome Outcome, CredentialIdentity? Identity = null, string? Reason = null, string? SessionIdHash = null)
{
    public static CredentialResolution None => default;

    public static CredentialResolution Invalid(string reason) => new(CredentialOutcome.Invalid, Reason: reason);
}
