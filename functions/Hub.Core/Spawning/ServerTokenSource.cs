using Hub.Core.Security;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>Derives server tokens from the hub's secret key (see <see cref="ServerTokens"/>); the key never leaves it.</summary>
public sealed class ServerTokenSource(byte[] secretKey)
{
    public string TokenFor(ServerKey server, string nonce) => ServerTokens.Derive(secretKey, server, nonce);

    /// <summary>Whether <paramref name="token"/> is the token of <paramref name="server"/> started with <paramref name="nonce"/>.</summary>
    public bool Matches(ServerKey server, string nonce, string token) => ServerTokens.Matches(secretKey, server, nonce, token);

    public override string ToString() => nameof(ServerTokenSource);
}
