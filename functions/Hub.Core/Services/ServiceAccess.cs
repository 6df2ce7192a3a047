using Hub.Core.Auth;

namespace Hub.Core.Services;

/// <summary>
/// Who may open a service in a browser (JupyterHub's <c>access:services</c>): whoever holds the scope for it (admins
/// hold it for every service) and the members of its <see cref="ServiceDefinition.AccessGroups"/>, which stand for a
/// role granting <c>access:services!service={name}</c> to those groups. One rule for the gateway and the control plane.
/// </summary>
public static class ServiceAccess
{
    public const string AccessServices = "access:services";

    /// <summary>Whether a caller with <paramref name="scopes"/>, in <paramref name="groups"/>, may open <paramref name="service"/>.</summary>
    /// <param name="viaToken">
    /// The caller is a token: only its own scopes count (a token narrowed to one server does not open services just
    /// because its owner's groups would).
    /// </param>
    public static bool MayOpen(ScopeSet scopes, IReadOnlyList<string> groups, ServiceDefinition service, bool viaToken) =>
        scopes.AllowsService(AccessServices, service.Name)
        || (!viaToken && service.AccessGroups.Any(g => g == ServiceDefinition.Everyone || groups.Contains(g, StringComparer.Ordinal)));
}
