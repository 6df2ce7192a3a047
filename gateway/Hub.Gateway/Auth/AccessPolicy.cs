using Hub.Core.Store;

namespace Hub.Gateway.Auth;

/// <summary>
/// Who may open a server: its owner and admins. An API token must also carry <c>access:servers</c>, unfiltered or
/// filtered to this server (<c>access:servers!user={owner}</c>, <c>access:servers!server={owner}/{name}</c>), as in
/// JupyterHub's scopes; the full scope model arrives with the login issue and replaces <see cref="TokenAllows"/>.
/// </summary>
public static class AccessPolicy
{
    public const string AccessServers = "access:servers";
    public const string ReadMetrics = "read:metrics";

    /// <summary>The owner check alone, before the route (and so the server's name) is known.</summary>
    public static bool MayOpenServersOf(GatewayIdentity identity, string owner) =>
        identity.Admin || string.Equals(identity.User, owner, StringComparison.Ordinal);

    public static bool MayOpen(GatewayIdentity identity, ServerKey server) =>
        MayOpenServersOf(identity, server.User) && (!identity.ViaToken || TokenAllows(identity.Scopes!, server));

    /// <summary>Metrics are for admins: a session, or a token with <c>read:metrics</c>.</summary>
    public static bool MayReadMetrics(GatewayIdentity identity) =>
        identity.Admin && (!identity.ViaToken || identity.Scopes!.Contains(ReadMetrics, StringComparer.Ordinal));

    private static bool TokenAllows(IReadOnlyList<string> scopes, ServerKey server)
    {
        foreach (var scope in scopes)
        {
            if (scope == AccessServers
                || scope == $"{AccessServers}!user={server.User}"
                || scope == $"{AccessServers}!server={server.User}/{server.Server}")
            {
                return true;
            }
        }
        return false;
    }
}
