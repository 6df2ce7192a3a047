using Hub.Core.Auth;
using Hub.Core.Store;

namespace Hub.Core.Sharing;

/// <summary>
/// The scopes a share or share code may carry, as JupyterHub's <c>Share._apply_filter</c>: every scope gets the filter
/// <c>!server={owner}/{server}</c>; a scope that names another filter is refused, so a share never reaches beyond its
/// one server. Without scopes a share grants <c>access:servers</c> for the server.
/// </summary>
public static class ShareScopes
{
    /// <summary>The most scopes one share may list (the catalogue has fewer).</summary>
    public const int MaxScopes = 64;

    /// <summary>The filter every scope of a share of <paramref name="server"/> carries: <c>server=alice/</c> for a default server.</summary>
    public static string FilterOf(ServerKey server) => $"server={server.User}/{server.Server}";

    /// <summary>What a share grants when the request names no scopes: the server's access scope.</summary>
    public static IReadOnlyList<string> Default(ServerKey server) => [$"access:servers!{FilterOf(server)}"];

    /// <summary>
    /// <paramref name="requested"/> filtered to <paramref name="server"/>, sorted and without repeats (the default when
    /// empty), or a problem naming the first scope that cannot be shared.
    /// </summary>
    public static bool TryApply(IReadOnlyList<string>? requested, ServerKey server, out IReadOnlyList<string> scopes, out string problem)
    {
        problem = "";
        scopes = [];
        if (requested is null || requested.Count == 0)
        {
            scopes = Default(server);
            return true;
        }
        if (requested.Count > MaxScopes)
        {
            problem = $"A share can list at most {MaxScopes} scopes.";
            return false;
        }
        string filter = FilterOf(server);
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in requested)
        {
            string name = text.Split('!', 2)[0];
            if (name is ScopeCatalog.Self or ScopeCatalog.Inherit or ScopeCatalog.NoScope)
            {
                problem = $"'{name}' cannot be shared; name the scopes themselves (e.g. access:servers).";
                return false;
            }
            if (!Scope.TryParse(name, out _, out problem))
            {
                return false;
            }
            int bang = text.IndexOf('!', StringComparison.Ordinal);
            if (bang >= 0 && text[(bang + 1)..] != filter)
            {
                problem = $"!{Shorten(text[(bang + 1)..])} is not allowed on sharing {Shorten(text)}, only !{Shorten(filter)}.";
                return false;
            }
            result.Add(name + "!" + filter);
        }
        scopes = [.. result];
        return true;
    }

    /// <summary>
    /// The first scope of <paramref name="scopes"/> that <paramref name="granter"/> does not hold for the server, or
    /// <c>null</c>: nobody shares more than they may do there themselves.
    /// </summary>
    public static string? NotHeld(ScopeSet granter, IReadOnlyList<string> scopes, ServerKey server, IReadOnlyList<string> ownerGroups) =>
        scopes.FirstOrDefault(s => !granter.Allows(s.Split('!', 2)[0], server.User, ownerGroups, server.Server));

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
