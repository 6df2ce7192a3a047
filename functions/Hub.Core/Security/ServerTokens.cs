using System.Security.Cryptography;
using System.Text;
using Hub.Core.Store;

namespace Hub.Core.Security;

/// <summary>
/// Each server's token (the Jupyter server's own password, which the gateway injects as <c>Authorization: token …</c>)
/// is derived from the hub's secret key, the server and a per-start nonce, so it is never stored: the spawner derives
/// it to start the server, the gateway derives it again from the route's nonce.
/// </summary>
public static class ServerTokens
{
    public static string Derive(byte[] key, ServerKey server, string nonce)
    {
        byte[] message = Encoding.UTF8.GetBytes("server-token\n" + server.User + "\n" + server.Server + "\n" + nonce);
        return SecretHash.Base64Url(HMACSHA256.HashData(key, message));
    }

    /// <summary>A fresh nonce for a new start (not secret).</summary>
    public static string NewNonce() => SecretHash.Base64Url(RandomNumberGenerator.GetBytes(16));
}
