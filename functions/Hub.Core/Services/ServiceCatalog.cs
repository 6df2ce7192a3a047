using System.Security.Cryptography;
using System.Text;
using Hub.Core.Auth;

namespace Hub.Core.Services;

/// <summary>
/// The services configured for this app (<see cref="ServicesSettings"/>), by name and by API token. A token is
/// compared with every service's in constant time (hashes of equal length through
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, with no early exit), so the time taken tells nothing about
/// how much of a token was right or which service it nearly matched.
/// </summary>
public sealed class ServiceCatalog
{
    private readonly Dictionary<string, ServiceDefinition> _byName;
    private readonly (byte[] Hash, ServiceDefinition Service)[] _tokens;

    public ServiceCatalog(IEnumerable<ServiceDefinition> services)
    {
        All = services.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        _byName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _tokens = All.Where(s => s.ApiToken is not null).Select(s => (Hash(s.ApiToken!), s)).ToArray();
    }

    public static readonly ServiceCatalog Empty = new([]);

    /// <summary>Every service, sorted by name.</summary>
    public IReadOnlyList<ServiceDefinition> All { get; }

    public ServiceDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The service whose API token <paramref name="token"/> is, or <c>null</c>.</summary>
    public ServiceDefinition? FindByToken(string token)
    {
        if (_tokens.Length == 0)
        {
            return null;
        }
        byte[] hash = Hash(token);
        ServiceDefinition? found = null;
        foreach (var (known, service) in _tokens)
        {
            // Every entry is compared, matched or not: the loop takes as long whichever service (if any) matches.
            if (CryptographicOperations.FixedTimeEquals(hash, known))
            {
                found = service;
            }
        }
        return found;
    }

    /// <summary>Whether <paramref name="secret"/> is <paramref name="service"/>'s token (its OAuth client secret), compared in constant time.</summary>
    public static bool IsTokenOf(ServiceDefinition service, string? secret) =>
        !string.IsNullOrEmpty(secret) && service.ApiToken is { } token && CryptographicOperations.FixedTimeEquals(Hash(secret), Hash(token));

    /// <summary>
    /// The scopes the services give <paramref name="user"/>: <c>access:services!service={name}</c> for each service
    /// whose <see cref="ServiceDefinition.AccessGroups"/> admit them (<c>*</c>, or one of their groups).
    /// </summary>
    public IEnumerable<string> GrantsFor(Store.UserRecord user) =>
        All.Where(s => s.AccessGroups.Any(g => g == ServiceDefinition.Everyone || user.Groups.Contains(g, StringComparer.Ordinal)))
            .Select(s => s.AccessScope);

    /// <summary>A user's own scopes with the services' grants (<see cref="GrantsFor"/>).</summary>
    public ScopeSet ScopesOf(Store.UserRecord user) => ScopeSet.ForUser(user, GrantsFor(user));

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
