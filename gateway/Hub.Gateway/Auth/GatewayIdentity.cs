using Hub.Core.Auth;

namespace Hub.Gateway.Auth;

/// <summary>Who sent a request, as far as the gateway needs to know.</summary>
/// <param name="User">The user's normalised name.</param>
/// <param name="Scopes">
/// What the request may do, expanded as the control plane expands it: a session holds its user's roles; a token
/// holds its own scopes narrowed to what its owner may do now.
/// </param>
/// <param name="ViaToken">The request came with an API token rather than a session cookie.</param>
public sealed record GatewayIdentity(string User, ScopeSet Scopes, bool ViaToken)
{
    /// <summary>The user's record the scopes were expanded from (to add shares to them later).</summary>
    internal Hub.Core.Store.UserRecord? Record { get; init; }

    /// <summary>With a token: its record, whose scopes are narrowed again when shares are added.</summary>
    internal Hub.Core.Store.TokenRecord? Token { get; init; }

    /// <summary>The scopes include the shares granted to the user (see <see cref="RequestAuthenticator.WithSharesAsync"/>).</summary>
    public bool WithShares { get; init; }
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
