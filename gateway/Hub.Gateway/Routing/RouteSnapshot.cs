using Hub.Core.Store;

namespace Hub.Gateway.Routing;

/// <summary>
/// All routes as read at one moment; never changed after it is built (a refresh builds a new one and swaps it in),
/// so any number of requests read it without locks.
/// </summary>
public sealed class RouteSnapshot
{
    public static readonly RouteSnapshot Empty = new(new Dictionary<string, UserRoutes>(StringComparer.Ordinal), 0, DateTimeOffset.MinValue);

    private readonly Dictionary<string, UserRoutes> _users;

    private RouteSnapshot(Dictionary<string, UserRoutes> users, int count, DateTimeOffset readAt)
    {
        _users = users;
        Count = count;
        ReadAt = readAt;
    }

    public int Count { get; }

    /// <summary>When the read that produced this snapshot started.</summary>
    public DateTimeOffset ReadAt { get; }

    public IEnumerable<RouteEntry> Entries => _users.Values.SelectMany(u => u.All);

    public static RouteSnapshot Create(IEnumerable<RouteEntry> entries, DateTimeOffset readAt)
    {
        var users = new Dictionary<string, UserRoutes>(StringComparer.Ordinal);
        int count = 0;
        foreach (var entry in entries)
        {
            if (!users.TryGetValue(entry.Key.User, out var routes))
            {
                routes = new UserRoutes();
                users.Add(entry.Key.User, routes);
            }
            routes.Add(entry);
            count++;
        }
        return new RouteSnapshot(users, count, readAt);
    }

    /// <summary>
    /// The route for a request to <c>/user/{user}/{nextSegment}…</c>: the named server <paramref name="nextSegment"/>
    /// if the user has one by that name (the longest prefix wins, as in configurable-http-proxy), else the default server.
    /// </summary>
    public RouteEntry? Find(string user, string? nextSegment)
    {
        if (!_users.TryGetValue(user, out var routes))
        {
            return null;
        }
        return nextSegment is not null && routes.Named?.GetValueOrDefault(nextSegment) is { } named ? named : routes.Default;
    }

    public RouteEntry? Get(ServerKey key) =>
        _users.TryGetValue(key.User, out var routes) ? (key.Server.Length == 0 ? routes.Default : routes.Named?.GetValueOrDefault(key.Server)) : null;

    /// <summary>One user's routes.</summary>
    public sealed class UserRoutes
    {
        public RouteEntry? Default { get; private set; }

        public Dictionary<string, RouteEntry>? Named { get; private set; }

        public IEnumerable<RouteEntry> All => (Default is null ? [] : new[] { Default }).Concat(Named?.Values ?? Enumerable.Empty<RouteEntry>());

        internal void Add(RouteEntry entry)
        {
            if (entry.Key.Server.Length == 0)
            {
                Default = entry;
            }
            else
            {
                (Named ??= new Dictionary<string, RouteEntry>(StringComparer.Ordinal))[entry.Key.Server] = entry;
            }
        }
    }
}
