using System.Security.Cryptography;
using System.Text;

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

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
