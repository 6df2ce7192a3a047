using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Store;

namespace Hub.Gateway.Routing;

/// <summary>Derives each server's token from the hub's secret key and the route's nonce (see <see cref="ServerTokens"/>); the key stays here.</summary>
public sealed class ServerTokenSource(byte[] key)
{
    public static ServerTokenSource FromOptions(HubOptions options) => new(HubSecretKey.Load(options));

    public string TokenFor(RouteRecord route) => ServerTokens.Derive(key, route.Key, route.TokenNonce);

    public RouteEntry EntryFor(RouteRecord route) => new(route, TokenFor(route));
}
