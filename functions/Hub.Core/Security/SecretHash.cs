using System.Security.Cryptography;
using System.Text;

namespace Hub.Core.Security;

/// <summary>How secrets (session ids, API tokens) are stored: lower-case hex SHA-256, never the secret itself.</summary>
public static class SecretHash
{
    /// <summary>
    /// The longest session id or API token that is looked up, in the control plane and the gateway alike; anything
    /// longer is refused without hashing it or reading the store. The hub issues 43-character secrets
    /// (<see cref="NewSecret"/>); server tokens are recognised by their own format before this rule applies.
    /// </summary>
    public const int MaxSecretLength = 256;

    public static string Of(string secret)
    {
        // The gateway hashes the session of every request it forwards: short secrets are encoded on the stack.
        int size = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? large = size <= 1024 ? null : new byte[size];
        Span<byte> utf8 = large ?? stackalloc byte[1024];
        int length = Encoding.UTF8.GetBytes(secret, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>A new random secret: 32 bytes, base64url without padding (43 characters).</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
