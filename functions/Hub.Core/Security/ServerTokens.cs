using System.Security.Cryptography;
using System.Text;
using Hub.Core.Store;

namespace Hub.Core.Security;

/// <summary>
/// Each server's token (the Jupyter server's own password, which the gateway injects as <c>Authorization: token …</c>,
/// and the server's <c>JUPYTERHUB_API_TOKEN</c> for the hub's API) is derived from the hub's secret key, the server
/// and a per-start nonce, so it is never stored: the spawner derives it to start the server, the gateway derives it
/// again from the route's nonce, and the API derives it again from the server record's nonce. It names its server
/// (<c>srv.{base64url(user LF server)}.{mac}</c>, the names are not secret) so the API can find that record with one
/// read; a token of a stopped or restarted server no longer matches its record's nonce.
/// </summary>
public static class ServerTokens
{
    /// <summary>What every server token starts with.</summary>
    public const string Prefix = "srv.";

    private const int MaxLength = 4096;

    public static string Derive(byte[] key, ServerKey server, string nonce)
    {
        byte[] message = Encoding.UTF8.GetBytes("server-token\n" + server.User + "\n" + server.Server + "\n" + nonce);
        string names = SecretHash.Base64Url(Encoding.UTF8.GetBytes(server.User + "\n" + server.Server));
        return Prefix + names + "." + SecretHash.Base64Url(HMACSHA256.HashData(key, message));
    }

    /// <summary>The server a token names, if it has the form of a server token (whether it is valid is another question).</summary>
    public static bool TryReadServer(string token, out ServerKey server)
    {
        server = default;
        // Longer than any two names the hub accepts could make: not worth decoding.
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > MaxLength)
        {
            return false;
        }
        int dot = token.IndexOf('.', Prefix.Length);
        if (dot < 0)
        {
            return false;
        }
        string names;
        try
        {
            string encoded = token[Prefix.Length..dot].Replace('-', '+').Replace('_', '/');
            names = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(encoded.PadRight(encoded.Length + (4 - encoded.Length % 4) % 4, '=')));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }
        int newline = names.IndexOf('\n', StringComparison.Ordinal);
        if (newline <= 0)
        {
            return false;
        }
        server = new ServerKey(names[..newline], names[(newline + 1)..]);
        return true;
    }

    /// <summary>Whether <paramref name="token"/> is the token of <paramref name="server"/> started with <paramref name="nonce"/> (constant time).</summary>
    public static bool Matches(byte[] key, ServerKey server, string nonce, string token) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Derive(key, server, nonce)), Encoding.UTF8.GetBytes(token));

    /// <summary>A fresh nonce for a new start (not secret).</summary>
    public static string NewNonce() => SecretHash.Base64Url(RandomNumberGenerator.GetBytes(16));
}
