namespace Hub.Core.Auth;

/// <summary>
/// One JupyterHub scope, optionally narrowed by a filter: <c>read:users</c>, <c>read:users!user=alice</c>,
/// <c>access:servers!server=alice/gpu</c>, <c>read:users!group=course</c>, <c>access:services!service=culler</c>.
/// </summary>
/// <param name="Name">The scope, e.g. <c>read:users</c>.</param>
/// <param name="Filter">The filter, or <c>null</c> for the whole hub.</param>
public readonly record struct Scope(string Name, ScopeFilter? Filter = null)
{
    /// <summary>Parses <c>name</c> or <c>name!kind=value</c>; bare <c>!user</c>/<c>!server</c> are kept for role definitions.</summary>
    public static bool TryParse(string text, out Scope scope, out string problem)
    {
        scope = default;
        problem = "";
        if (string.IsNullOrWhiteSpace(text) || text.Length > 300)
        {
            problem = "A scope cannot be empty or longer than 300 characters.";
            return false;
        }
        int bang = text.IndexOf('!', StringComparison.Ordinal);
        string name = bang < 0 ? text : text[..bang];
        if (!ScopeCatalog.IsKnown(name))
        {
            problem = $"'{Shorten(name)}' is not a scope.";
            return false;
        }
        if (bang < 0)
        {
            scope = new Scope(name);
            return true;
        }
        string filter = text[(bang + 1)..];
        int equals = filter.IndexOf('=', StringComparison.Ordinal);
        string kind = equals < 0 ? filter : filter[..equals];
        if (kind is not ("user" or "server" or "group" or "service"))
        {
            problem = $"'{Shorten(text)}' has an unknown filter (use !user=, !server=, !group= or !service=).";
            return false;
        }
        string? value = equals < 0 ? null : filter[(equals + 1)..];
        if (value is { Length: 0 })
        {
            problem = $"'{Shorten(text)}' has an empty filter value.";
            return false;
        }
        if (kind is "group" or "service" && value is null)
        {
            problem = $"'{Shorten(text)}' needs a {kind} name.";
            return false;
        }
        scope = new Scope(name, new ScopeFilter(kind, value));
        return true;
    }

    public override string ToString() => Filter is null ? Name : Name + "!" + Filter;

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>A scope filter: <c>user=alice</c>, <c>server=alice/gpu</c> (a default server is <c>alice/</c>), <c>group=course</c> or <c>service=culler</c>.</summary>
/// <param name="Kind"><c>user</c>, <c>server</c>, <c>group</c> or <c>service</c>.</param>
/// <param name="Value">The name; <c>null</c> in a role definition means "the owner" (resolved when the role is granted).</param>
public sealed record ScopeFilter(string Kind, string? Value)
{
    public override string ToString() => Value is null ? Kind : Kind + "=" + Value;

    /// <summary>True when everything this filter admits, <paramref name="other"/> admits too.</summary>
    public bool IsWithin(ScopeFilter other) =>
        this == other
        || (Kind == "server" && other.Kind == "user" && Value is not null && other.Value is not null
            && Value.StartsWith(other.Value + "/", StringComparison.Ordinal));
}
