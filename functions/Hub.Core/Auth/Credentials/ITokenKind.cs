using Hub.Core.Store;

namespace Hub.Core.Auth.Credentials;

/// <summary>
/// A kind of token the hub issues besides API tokens, recognised by its own form before the API-token rules apply:
/// servers' own tokens (<c>JUPYTERHUB_API_TOKEN</c>) today; service tokens plug in here the same way. Register
/// implementations as <see cref="ITokenKind"/> services; <see cref="CredentialResolver"/> asks each in turn.
/// </summary>
/// <remarks>
/// A kind only says which grant a token carries. The resolver then applies the rules every credential shares: the
/// grant's expiry, its owner existing and not being blocked, and its scopes narrowed to what the owner may do now.
/// </remarks>
public interface ITokenKind
{
    /// <summary>Whether <paramref name="token"/> has this kind's form; if so, this kind alone decides whether it is valid.</summary>
    bool Recognizes(string token);

    /// <summary>
    /// The grant <paramref name="token"/> carries now (owner, scopes, expiry; <see cref="TokenRecord.Hash"/> empty when
    /// it is not a stored token), or <c>null</c> when it is not valid (any more).
    /// </summary>
    ValueTask<TokenRecord?> FindGrantAsync(string token, CancellationToken cancellationToken);
}
