using Hub.Core.Store;

namespace Hub.Core.Auth.Credentials;

/// <summary>
/// How <see cref="CredentialResolver"/> reads the records behind credentials. The control plane reads the store on
/// every request; the gateway answers from short-lived caches that keep serving what they last validated while the
/// store does not answer. Failures (a store that does not answer) are exceptions; "no such record" is <c>null</c>.
/// </summary>
public interface ICredentialLookup
{
    /// <summary>The session whose id hashes to <paramref name="idHash"/> (<see cref="Security.SecretHash"/>), expired or not.</summary>
    ValueTask<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken);

    /// <summary>The API token whose value hashes to <paramref name="hash"/>, expired or not.</summary>
    ValueTask<TokenRecord?> FindTokenAsync(string hash, CancellationToken cancellationToken);

    /// <summary>The user named <paramref name="name"/> (normalised).</summary>
    ValueTask<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken);
}
