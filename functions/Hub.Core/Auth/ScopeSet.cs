using System.Collections.Frozen;
using Hub.Core.Store;

namespace Hub.Core.Auth;

/// <summary>
/// The scopes a request holds, fully expanded: for each scope name, either the whole hub or a list of filters.
/// Holding a scope in some form but not for the target gives 404 (so existence is not revealed); not holding it
/// at all gives 403 — as JupyterHub does.
/// </summary>
public sealed class ScopeSet
{
    /// <summary>Name → <c>null</c> (unfiltered) or the filters it is held with.</summary>
    private readonly FrozenDictionary<string, ScopeFilter[]?> _grants;

    private ScopeSet(Dictionary<string, List<ScopeFilter>?> grants)
    {
        _grants = grants.ToFrozenDictionary(g => g.Key, g => g.Value?.Distinct().ToArray(), StringComparer.Ordinal);
    }

    public static readonly ScopeSet Empty = new([]);

    /// <summary>A user's own scopes: the user role, plus the admin role for admins.</summary>
    public static ScopeSet ForUser(UserRecord user) =>
        FromScopes(user.Admin ? ScopeCatalog.Roles["user"].Concat(ScopeCatalog.Roles["admin"]) : ScopeCatalog.Roles["user"], user.Name, null);

    /// <summary>A user's own scopes plus <paramref name="extra"/> ones (the scopes of shares granted to the user, see <c>Hub.Core.Sharing.SharedAccess</c>).</summary>
    public static ScopeSet ForUserWith(UserRecord user, IEnumerable<string> extra) =>
        FromScopes((user.Admin ? ScopeCatalog.Roles["user"].Concat(ScopeCatalog.Roles["admin"]) : ScopeCatalog.Roles["user"]).Concat(extra), user.Name, null);

    /// <summary>
    /// Expands scopes held for <paramref name="owner"/>: <c>self</c> becomes the owner's user scopes, bare
    /// <c>!user</c>/<c>!server</c> the owner's, <c>inherit</c> everything in <paramref name="inherited"/>.
    /// Unknown scopes are ignored (they were checked when stored).
    /// </summary>
    public static ScopeSet FromScopes(IEnumerable<string> scopes, string owner, ScopeSet? inherited)
    {
        var grants = new Dictionary<string, List<ScopeFilter>?>(StringComparer.Ordinal);
        foreach (var text in scopes)
        {
            if (text == ScopeCatalog.Inherit)
            {
                if (inherited is not null)
                {
                    foreach (var (name, filters) in inherited._grants)
                    {
                        if (filters is null)
                        {
                            Grant(grants, new Scope(name));
                        }
                        else
                        {
                            foreach (var filter in filters)
                            {
                                Grant(grants, new Scope(name, filter));
                            }
                        }
                    }
                }
                continue;
            }
            if (!Scope.TryParse(text, out var scope, out _))
            {
                continue;
            }
            IEnumerable<Scope> resolved = scope.Name == ScopeCatalog.Self ? ScopeCatalog.SelfFor(owner) : [scope];
            foreach (var item in resolved)
            {
                var filter = item.Filter switch
                {
                    { Kind: "user", Value: null } => new ScopeFilter("user", owner),
                    { Kind: "server", Value: null } => new ScopeFilter("server", owner + "/"),
                    var other => other,
                };
                foreach (var name in ScopeCatalog.Expand(item.Name))
                {
                    Grant(grants, new Scope(name, filter));
                }
            }
        }
        return new ScopeSet(grants);
    }

    private static void Grant(Dictionary<string, List<ScopeFilter>?> grants, Scope scope)
    {
        if (scope.Name is ScopeCatalog.Self or ScopeCatalog.Inherit)
        {
            return;
        }
        if (scope.Filter is null)
        {
            grants[scope.Name] = null;
        }
        else if (!grants.TryGetValue(scope.Name, out var filters))
        {
            grants[scope.Name] = [scope.Filter];
        }
        else
        {
            filters?.Add(scope.Filter);
        }
    }

    /// <summary>What a token may do: its own scopes, narrowed to what its owner can do now.</summary>
    public ScopeSet IntersectWith(ScopeSet owner)
    {
        var result = new Dictionary<string, List<ScopeFilter>?>(StringComparer.Ordinal);
        foreach (var (name, mine) in _grants)
        {
            if (!owner._grants.TryGetValue(name, out var theirs))
            {
                continue;
            }
            if (mine is null)
            {
                result[name] = theirs?.ToList();
            }
            else if (theirs is null)
            {
                result[name] = [.. mine];
            }
            else
            {
                var kept = mine.Where(m => theirs.Any(m.IsWithin)).ToList();
                if (kept.Count > 0)
                {
                    result[name] = kept;
                }
            }
        }
        return new ScopeSet(result);
    }

    /// <summary>True when every scope of <paramref name="other"/> is held here at least as widely.</summary>
    public bool Covers(ScopeSet other) =>
        other._grants.All(g => _grants.TryGetValue(g.Key, out var mine)
            && (mine is null || (g.Value is not null && g.Value.All(f => mine.Any(f.IsWithin)))));

    /// <summary>Holds <paramref name="name"/> in some form (else the answer is 403).</summary>
    public bool HasAny(string name) => _grants.ContainsKey(name);

    /// <summary>Holds <paramref name="name"/> for the whole hub.</summary>
    public bool HasUnfiltered(string name) => _grants.TryGetValue(name, out var filters) && filters is null;

    /// <summary>Holds <paramref name="name"/> for <paramref name="user"/> (in <paramref name="groups"/>), or for its server <paramref name="server"/>.</summary>
    public bool Allows(string name, string user, IReadOnlyList<string> groups, string? server = null)
    {
        if (!_grants.TryGetValue(name, out var filters))
        {
            return false;
        }
        if (filters is null)
        {
            return true;
        }
        foreach (var filter in filters)
        {
            bool match = filter.Kind switch
            {
                "user" => filter.Value == user,
                "server" => server is not null && filter.Value == user + "/" + server,
                "group" => filter.Value is not null && groups.Contains(filter.Value, StringComparer.Ordinal),
                _ => false,
            };
            if (match)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Holds <paramref name="name"/> (a <c>groups</c> scope) for the group <paramref name="group"/>: unfiltered or <c>!group=</c> it.</summary>
    public bool AllowsGroup(string name, string group) =>
        _grants.TryGetValue(name, out var filters)
        && (filters is null || filters.Any(f => f.Kind == "group" && string.Equals(f.Value, group, StringComparison.Ordinal)));

    /// <summary>Holds <paramref name="name"/> for <paramref name="user"/> itself or for at least one of its servers.</summary>
    public bool AllowsAnyServerOf(string name, string user, IReadOnlyList<string> groups) =>
        Allows(name, user, groups) || (_grants.TryGetValue(name, out var filters) && filters is not null
            && filters.Any(f => f.Kind == "server" && f.Value is not null && f.Value.StartsWith(user + "/", StringComparison.Ordinal)));

    /// <summary>The scopes as JupyterHub lists them (<c>GET /hub/api/user</c>), sorted.</summary>
    public IReadOnlyList<string> ToList() =>
        _grants.SelectMany(g => g.Value is null ? [g.Key] : g.Value.Select(f => g.Key + "!" + f))
            .Order(StringComparer.Ordinal)
            .ToList();
}
