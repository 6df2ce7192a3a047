using Hub.Core.Auth;

namespace Hub.Core.Services;

/// <summary>
/// Who may open a service (JupyterHub's <c>access:services</c>): whoever holds the scope for it. Admins hold it for
/// every service; the members of a service's <see cref="ServiceDefinition.AccessGroups"/> hold
/// <c>access:services!service={name}</c> among their own scopes (<see cref="ServiceCatalog.GrantsFor"/>), as if a role
/// granted it to those groups; a token holds it when it asked for it and its owner holds it. One rule for the gateway
/// (opening <c>/services/{name}/</c>) and the control plane (the service's OAuth client).
/// </summary>
public static class ServiceAccess
{
    public const string AccessServices = "access:services";

    public static bool MayOpen(ScopeSet scopes, ServiceDefinition service) => scopes.AllowsService(AccessServices, service.Name);
}
