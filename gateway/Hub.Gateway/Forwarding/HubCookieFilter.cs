using Hub.Core.Security;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Keeps the hub's own cookies away from user servers: the session is removed from the <c>Cookie</c> header going in,
/// and a user server may not set it at all (cookie tossing, JupyterHub advisory GHSA-7r3h-4ph8-w38g). The hub's
/// <c>_xsrf</c> lives at <c>Path=/hub/</c>, so a browser never sends it to a server: an <c>_xsrf</c> that reaches a
/// server is Jupyter's own (the same name), and a server may set one only under <c>/user/</c> (a service under <c>/services/</c>).
/// </summary>
internal static class HubCookieFilter
{
    /// <summary>The cookies removed from requests to user servers.</summary>
    private static readonly string[] Stripped = [HubCookies.Session];

    /// <summary>The cookie header without the hub's cookies; <c>null</c> when none is left.</summary>
    /// <remarks>Runs for every request to a user server, so it measures first and then builds the result in one string.</remarks>
    public static string? WithoutHubCookies(string header)
    {
        if (!ContainsHubCookie(header))
        {
            return header;
        }
        int length = 0;
        foreach (var range in header.AsSpan().Split(';'))
        {
            var pair = header.AsSpan()[range].Trim();
            if (pair.Length > 0 && !IsHubCookie(NameOf(pair)))
            {
                length += (length == 0 ? 0 : Separator.Length) + pair.Length;
            }
        }
        if (length == 0)
        {
            return null;
        }
        return string.Create(length, header, static (destination, header) =>
        {
            int written = 0;
            foreach (var range in header.AsSpan().Split(';'))
            {
                var pair = header.AsSpan()[range].Trim();
                if (pair.Length == 0 || IsHubCookie(NameOf(pair)))
                {
                    continue;
                }
                if (written > 0)
                {
                    Separator.CopyTo(destination[written..]);
                    written += Separator.Length;
                }
                pair.CopyTo(destination[written..]);
                written += pair.Length;
            }
        });
    }

    /// <summary>
    /// False for a <c>Set-Cookie</c> from a user server that names one of the hub's cookies, whatever its attributes:
    /// a browser keeps the last of several <c>Path</c> attributes, so no reading of them can be trusted.
    /// </summary>
    public static bool MayUserServerSet(string setCookie)
    {
        int equals = setCookie.IndexOf('=', StringComparison.Ordinal);
        var name = (equals < 0 ? setCookie : setCookie[..equals]).AsSpan().Trim();
        if (name.SequenceEqual(HubCookies.Xsrf))
        {
            return PathsStayUnderUser(setCookie);
        }
        return !IsHubCookie(name);
    }

    /// <summary>Whether every <c>Path</c> attribute (a browser keeps the last) is under <c>/user/</c> or <c>/services/</c>; none means the response's own path.</summary>
    private static bool PathsStayUnderUser(string setCookie)
    {
        foreach (var range in setCookie.AsSpan().Split(';'))
        {
            var attribute = setCookie.AsSpan()[range].Trim();
            int equals = attribute.IndexOf('=');
            if (equals > 0 && attribute[..equals].Trim().Equals("path", StringComparison.OrdinalIgnoreCase)
                && attribute[(equals + 1)..].Trim() is var path
                && !path.StartsWith("/user/", StringComparison.Ordinal) && !path.StartsWith("/services/", StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ContainsHubCookie(string header)
    {
        foreach (var name in Stripped)
        {
            if (header.Contains(name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private const string Separator = "; ";

    private static ReadOnlySpan<char> NameOf(ReadOnlySpan<char> pair)
    {
        int equals = pair.IndexOf('=');
        return equals < 0 ? pair : pair[..equals].Trim();
    }

    private static bool IsHubCookie(ReadOnlySpan<char> name)
    {
        foreach (var hub in Stripped)
        {
            if (name.SequenceEqual(hub))
            {
                return true;
            }
        }
        return false;
    }
}
