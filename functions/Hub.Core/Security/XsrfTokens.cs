using System.Security.Cryptography;
using System.Text;

namespace Hub.Core.Security;

/// <summary>
/// Anti-forgery tokens as JupyterHub 4.1+ uses them: the <c>_xsrf</c> cookie must match the <c>_xsrf</c> form field
/// or <c>X-XSRFToken</c> header, and the token is bound to the login session (or to "anonymous" before login) by an
/// HMAC with the hub's key, so a cookie planted by another page on the same site (cookie tossing) is worthless.
/// Format: <c>{nonce}.{mac}</c>, both base64url.
/// </summary>
public sealed class XsrfTokens(byte[] key)
{
    private const string Anonymous = "anonymous";

    /// <summary>A new token bound to <paramref name="sessionIdHash"/> (<c>null</c> before login).</summary>
    public string Issue(string? sessionIdHash)
    {
        string nonce = SecretHash.Base64Url(RandomNumberGenerator.GetBytes(16));
        return nonce + "." + Mac(nonce, sessionIdHash);
    }

    /// <summary>True when <paramref name="token"/> is well-formed and bound to <paramref name="sessionIdHash"/>.</summary>
    public bool IsBoundTo(string? token, string? sessionIdHash)
    {
        if (token is null || token.Length > 128)
        {
            return false;
        }
        int dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }
        string expected = Mac(token[..dot], sessionIdHash);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token[(dot + 1)..]), Encoding.ASCII.GetBytes(expected));
    }

    /// <summary>True when the submitted token equals the cookie and is bound to the session.</summary>
    public bool Verify(string? cookie, string? submitted, string? sessionIdHash) =>
        cookie is not null && submitted is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie), Encoding.UTF8.GetBytes(submitted))
        && IsBoundTo(cookie, sessionIdHash);

    private string Mac(string nonce, string? sessionIdHash) =>
        SecretHash.Base64Url(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("xsrf\n" + (sessionIdHash ?? Anonymous) + "\n" + nonce)));
}
