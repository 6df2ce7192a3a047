using Hub.Core.Security;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Keeps the hub's own cookies (<see cref="HubCookies.All"/>) away from user servers: removed from the <c>Cookie</c>
/// header going in, and a user server may not set them outside its own path (cookie tossing, JupyterHub advisory
/// GHSA-7r3h-4ph8-w38g).
/// </summary>
internal static class HubCookieFilter
{
    /// <summary>The cookie header without the hub's cookies; <c>null</c> when none is left.</summary>
    public static string? WithoutHubCookies(string header)
    {
        if (!ContainsHubCookie(header))
        {
            return header;
        }
        var kept = new List<string>();
        foreach (var pair in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? pair : pair[..equals].Trim();
            if (!IsHubCookie(name))
            {
                kept.Add(pair);
            }
        }
        return kept.Count == 0 ? null : string.Join("; ", kept);
    }

    /// <summary>False for a <c>Set-Cookie</c> from a user server that would set a hub cookie outside <paramref name="serverPath"/>.</summary>
    public static bool MayUserServerSet(string setCookie, string serverPath)
    {
        int equals = setCookie.IndexOf('=', StringComparison.Ordinal);
        string name = (equals < 0 ? setCookie : setCookie[..equals]).Trim();
        if (!IsHubCookie(name))
        {
            return true;
        }
        foreach (var attribute in setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1))
        {
            if (attribute.StartsWith("path=", StringComparison.OrdinalIgnoreCase))
            {
                return attribute[5..].StartsWith(serverPath, StringComparison.Ordinal);
            }
        }
        return false;
    }

    private static bool ContainsHubCookie(string header)
    {
        foreach (var name in HubCookies.All)
        {
            if (header.Contains(name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsHubCookie(string name)
    {
        foreach (var hub in HubCookies.All)
        {
            if (string.Equals(name, hub, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
