namespace Hub.Core.Auth;

/// <summary>
/// JupyterHub's scopes, how they nest (holding a scope grants every scope below it) and the default roles
/// (<c>jupyterhub/scopes.py</c>, <c>jupyterhub/roles.py</c>, 5.x).
/// </summary>
public static class ScopeCatalog
{
    public const string NoScope = "(no_scope)";
    public const string Self = "self";
    public const string Inherit = "inherit";

    private static readonly Dictionary<string, string[]> Children = new(StringComparer.Ordinal)
    {
        [NoScope] = [],
        [Self] = [],
        [Inherit] = [],
        ["admin-ui"] = [],
        ["admin:users"] = ["admin:auth_state", "users", "read:roles:users", "delete:users"],
        ["admin:auth_state"] = [],
        ["users"] = ["read:users", "list:users", "users:activity"],
        ["delete:users"] = [],
        ["list:users"] = ["read:users:name"],
        ["read:users"] = ["read:users:name", "read:users:groups", "read:users:activity"],
        ["read:users:name"] = [],
        ["read:users:groups"] = [],
        ["read:users:activity"] = [],
        ["read:roles"] = ["read:roles:users", "read:roles:services", "read:roles:groups"],
        ["read:roles:users"] = [],
        ["read:roles:services"] = [],
        ["read:roles:groups"] = [],
        ["users:activity"] = ["read:users:activity"],
        ["admin:servers"] = ["admin:server_state", "servers"],
        ["admin:server_state"] = [],
        ["servers"] = ["read:servers", "delete:servers", "start:servers"],
        ["start:servers"] = [],
        ["read:servers"] = ["read:users:name"],
        ["delete:servers"] = [],
        ["tokens"] = ["read:tokens"],
        ["read:tokens"] = [],
        ["admin:groups"] = ["groups", "delete:groups"],
        ["groups"] = ["read:groups", "list:groups"],
        ["list:groups"] = ["read:groups:name"],
        ["read:groups"] = ["read:groups:name"],
        ["read:groups:name"] = [],
        ["delete:groups"] = [],
        ["admin:services"] = ["read:services", "list:services", "read:roles:services"],
        ["list:services"] = ["read:services:name"],
        ["read:services"] = ["read:services:name"],
        ["read:services:name"] = [],
        ["read:hub"] = [],
        ["access:servers"] = [],
        ["access:services"] = [],
        ["users:shares"] = ["read:users:shares"],
        ["read:users:shares"] = [],
        ["groups:shares"] = ["read:groups:shares"],
        ["read:groups:shares"] = [],
        ["read:shares"] = [],
        ["shares"] = ["read:shares", "users:shares", "groups:shares"],
        ["proxy"] = [],
        ["shutdown"] = [],
        ["read:metrics"] = [],
    };

    /// <summary>What <c>self</c> means for a user: their own model, servers, tokens and shares (JupyterHub's user role).</summary>
    private static readonly string[] SelfScopes =
    [
        "read:users", "read:users:name", "read:users:groups", "users:activity", "read:users:activity",
        "servers", "delete:servers", "read:servers", "start:servers", "tokens", "read:tokens", "access:servers",
        "shares", "read:shares", "users:shares", "read:users:shares",
    ];

    /// <summary>The built-in roles and their scopes; a bare <c>!user</c> or <c>!server</c> means the owner's.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Roles = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["user"] = [Self],
        ["admin"] =
        [
            "admin-ui", "admin:users", "admin:servers", "admin:services", "tokens", "admin:groups", "list:services",
            "read:services", "read:hub", "proxy", "shutdown", "access:services", "access:servers", "read:roles",
            "read:metrics", "shares",
        ],
        ["server"] = ["users:activity!user", "access:servers!server"],
        ["token"] = [Inherit],
    };

    public static IEnumerable<string> All => Children.Keys;

    public static bool IsKnown(string name) => Children.ContainsKey(name);

    /// <summary>The scope and every scope it implies.</summary>
    public static IEnumerable<string> Expand(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(name);
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }
            if (Children.TryGetValue(current, out var children))
            {
                foreach (var child in children)
                {
                    pending.Push(child);
                }
            }
        }
        return seen;
    }

    /// <summary>The scopes <c>self</c> stands for, for <paramref name="user"/>.</summary>
    public static IEnumerable<Scope> SelfFor(string user) => SelfScopes.Select(s => new Scope(s, new ScopeFilter("user", user)));
}
