using Hub.Core.Store;

namespace Hub.Core.Auth.Credentials;

/// <summary>How a request proved who it is.</summary>
public enum CredentialKind
{
    /// <summary>The hub's session cookie.</summary>
    Session,

    /// <summary>A token in <c>Authorization: token …</c> or <c>Bearer …</c>: an API token, or a kind of token the hub issues (<see cref="ITokenKind"/>).</summary>
    Token,
}

/// <summary>Who sent a request and what it may do.</summary>
/// <param name="User">The user as the store holds them (not blocked).</param>
/// <param name="Scopes">
/// Expanded scopes: a session holds its user's roles; a token holds its own scopes narrowed to what its owner may do now.
/// </param>
/// <param name="Kind">Session or token.</param>
/// <param name="Token">With a token: its record (for a token kind that is not stored, the grant it carries).</param>
public sealed record CredentialIdentity(UserRecord User, ScopeSet Scopes, CredentialKind Kind, TokenRecord? Token = null);
