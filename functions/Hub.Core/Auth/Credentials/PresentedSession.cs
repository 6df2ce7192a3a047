using Hub.Core.Security;

namespace Hub.Core.Auth.Credentials;

/// <summary>
/// A session cookie as sent, reduced to what the store knows it by: the hash of its id, or nothing when it is longer
/// than <see cref="SecretHash.MaxSecretLength"/> (refused without hashing it or reading the store). Immutable, so an
/// app may keep one with the header it came from.
/// </summary>
public sealed class PresentedSession
{
    private PresentedSession(string? idHash) => IdHash = idHash;

    /// <summary>The hash of the session id; <c>null</c> when the cookie is too long to be one of the hub's.</summary>
    public string? IdHash { get; }

    /// <summary>The session a cookie value names; <c>null</c> when there is no cookie (or it is empty).</summary>
    public static PresentedSession? Of(string? cookieValue) => cookieValue switch
    {
        null or "" => null,
        { Length: > SecretHash.MaxSecretLength } => TooLong,
        _ => new PresentedSession(SecretHash.Of(cookieValue)),
    };

    private static readonly PresentedSession TooLong = new(null);
}
