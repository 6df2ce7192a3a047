using Hub.Core.Auth;
using Hub.Core.Auth.Credentials;
using Hub.Core.Services;
using Hub.Core.Store;

namespace Hub.Gateway.Auth;

/// <summary>
/// Who may open a server: whoever holds <c>access:servers</c> for it, in JupyterHub's scope model (the owner through
/// the user role's <c>access:servers!user</c>, admins unfiltered, a token only with that scope among its own, a user
/// or group member it is shared with through the share's <c>access:servers!server</c>).
/// </summary>
public static class AccessPolicy
{
    public const string AccessServers = "access:servers";
    public const string ReadMetrics = "read:metrics";

    /// <summary>The check before the route (and so the server's name) is known: access to the user or to one of its servers.</summary>
    // Group filters need the owner's groups, which the gateway does not read per request; group-filtered
    // access:servers is honoured by the control plane's API but not for opening servers here. (Shares with a group
    // are not group filters: they grant their members access:servers!server=…, which is honoured.)
    public static bool MayOpenServersOf(CredentialIdentity identity, string owner) =>
        identity.Scopes.AllowsAnyServerOf(AccessServers, owner, []);

    public static bool MayOpen(CredentialIdentity identity, ServerKey server) =>
        identity.Scopes.Allows(AccessServers, server.User, [], server.Server);

    /// <summary>Who may open a service: <see cref="ServiceAccess"/>, the control plane's rule.</summary>
    public static bool MayOpen(CredentialIdentity identity, ServiceDefinition service) =>
        ServiceAccess.MayOpen(identity.Scopes, service);

    /// <summary>Metrics need <c>read:metrics</c> for the whole hub (admins have it).</summary>
    public static bool MayReadMetrics(CredentialIdentity identity) => identity.Scopes.HasUnfiltered(ReadMetrics);
}
