using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Core.Security;

namespace Hub.Functions.OAuth;

/// <summary>
/// Authorization codes of the hub's OAuth provider. A code is sealed (AES-GCM under a key derived from the hub key),
/// so any instance can open it and nothing is stored until it is exchanged. Exchanging it creates the access token
/// derived from the code's id: a second exchange finds that token already stored and is refused, which makes codes
/// single-use without a table of codes. Codes live <see cref="Lifetime"/>.
/// </summary>
public sealed class OAuthCodes
{
    /// <summary>How long a code may wait for its exchange (the server exchanges it at once).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly SealedData _sealed;
    private readonly byte[] _tokenKey;

    public OAuthCodes(byte[] hubKey)
    {
        _sealed = new SealedData(hubKey, "oauth-code");
        _tokenKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, hubKey, 32, info: Encoding.UTF8.GetBytes("oauth-access-token"));
    }

    /// <summary>A new code for <paramref name="grant"/>.</summary>
    public string Issue(OAuthGrant grant) => _sealed.Seal(JsonSerializer.Serialize(grant));

    /// <summary>The grant a code carries, or <c>null</c> when it was not issued here or was altered.</summary>
    public OAuthGrant? Open(string code)
    {
        if (_sealed.Open(code) is not { } json)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<OAuthGrant>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The access token a grant's code is exchanged for (always the same one: see the class remarks).</summary>
    public string AccessTokenFor(OAuthGrant grant) => SecretHash.Base64Url(HMACSHA256.HashData(_tokenKey, Encoding.UTF8.GetBytes(grant.Id)));

    public override string ToString() => nameof(OAuthCodes);
}

/// <summary>What an authorization code grants: to whom, for which client and callback, which scopes, until when.</summary>
public sealed record OAuthGrant(string Id, string User, string ClientId, string RedirectUri, IReadOnlyList<string> Scopes, DateTimeOffset Expires)
{
    public static string NewId() => SecretHash.Base64Url(RandomNumberGenerator.GetBytes(18));
}
