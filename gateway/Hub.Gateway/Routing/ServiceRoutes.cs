using Hub.Core.Services;
using Hub.Gateway.Forwarding;

namespace Hub.Gateway.Routing;

/// <summary>
/// The routes of externally run services: <c>/services/{name}/…</c> to the service's <c>Url</c>, with the whole path
/// (JupyterHub's proxy keeps the prefix, so a service serves under <c>/services/{name}/</c>). Fixed by the settings
/// (<see cref="ServicesSettings"/>), so they are built once; a service without a URL has no route.
/// </summary>
public sealed class ServiceRoutes(ServiceCatalog services)
{
    private const string Prefix = "/services/";

    private readonly Dictionary<string, (ServiceDefinition Service, ForwardTarget Target)> _routes = services.All
        .Where(s => s.Url is not null)
        .ToDictionary(s => s.Name, s => (s, new ForwardTarget(s.Url!, BackendKind.Service)), StringComparer.Ordinal);

    /// <summary>Whether <paramref name="rawPathAndQuery"/> is under <c>/services/</c> (or is <c>/services</c> itself).</summary>
    public static bool IsServicePath(string rawPathAndQuery) =>
        rawPathAndQuery.StartsWith(Prefix, StringComparison.Ordinal) || rawPathAndQuery == "/services" || rawPathAndQuery.StartsWith("/services?", StringComparison.Ordinal);

    /// <summary>The service named by the first segment after <c>/services/</c> (names are plain: nothing to decode), and whether a <c>/</c> follows it.</summary>
    public bool TryFind(string rawPath, out ServiceDefinition service, out ForwardTarget target, out bool bare)
    {
        service = null!;
        target = null!;
        bare = false;
        if (!rawPath.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        int end = rawPath.IndexOf('/', Prefix.Length);
        string name = end < 0 ? rawPath[Prefix.Length..] : rawPath[Prefix.Length..end];
        if (!_routes.TryGetValue(name, out var route))
        {
            return false;
        }
        (service, target, bare) = (route.Service, route.Target, end < 0);
        return true;
    }
}
