using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// Derives server tokens from the hub's secret key (see <see cref="ServerTokens"/>); the key never leaves it.
/// The one source for the control plane (spawn, probes, server-token callers) and the gateway (forwarded requests).
/// </summary>
public sealed class ServerTokenSource(byte[] secretKey)
{
    /// <summary>A source keyed with the hub's secret key from the app settings.</summary>
    public static ServerTokenSource FromOptions(HubOptions options) => new(HubSecretKey.Load(options));

    public string TokenFor(ServerKey server, string nonce) => ServerTokens.Derive(secretKey, server, nonce);

    /// <summary>The token of the server that <paramref name="route"/> points to.</summary>
    public string TokenFor(RouteRecord route) => TokenFor(route.Key, route.TokenNonce);

    /// <summary>Whether <paramref name="token"/> is the token of <paramref name="server"/> started with <paramref name="nonce"/>.</summary>
    public bool Matches(ServerKey server, string nonce, string token) => ServerTokens.Matches(secretKey, server, nonce, token);

    public override string ToString() => nameof(ServerTokenSource);
}
