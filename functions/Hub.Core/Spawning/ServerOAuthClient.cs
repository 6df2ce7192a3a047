using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// What JupyterHub registers for each server, derived from the server alone: its OAuth client
/// (<c>jupyterhub-user-{name}</c>, <c>-{server}</c> for a named one), the callback it may be sent back to, the scopes that
/// grant access to it, and the scopes of its own token (JupyterHub's <c>server</c> role). The client exists while the
/// server does: the token endpoint accepts it only for a server that is not stopped, with that start's token as secret.
/// </summary>
public static class ServerOAuthClient
{
    private const string ClientPrefix = "jupyterhub-user-";

    /// <summary>JupyterHub's client id: <c>jupyterhub-user-{quote(name)}[-{quote(server)}]</c>.</summary>
    public static string ClientId(ServerKey server) =>
        ClientPrefix + ServerUrls.EscapeSegment(server.User) + (server.Server.Length == 0 ? "" : "-" + ServerUrls.EscapeSegment(server.Server));

    /// <summary>
    /// The servers a client id may name: JupyterHub joins the names with <c>-</c>, which names may contain too, so
    /// every split is a candidate (the caller keeps the one whose record exists and whose id is exactly this one).
    /// </summary>
    public static IEnumerable<ServerKey> Candidates(string clientId)
    {
        if (!clientId.StartsWith(ClientPrefix, StringComparison.Ordinal) || clientId.Length > 1024)
        {
            yield break;
        }
        string rest = clientId[ClientPrefix.Length..];
        if (Unescape(rest) is { Length: > 0 } whole)
        {
            yield return new ServerKey(whole, "");
        }
        for (int dash = rest.IndexOf('-'); dash > 0; dash = rest.IndexOf('-', dash + 1))
        {
            if (Unescape(rest[..dash]) is { Length: > 0 } user && Unescape(rest[(dash + 1)..]) is { Length: > 0 } name)
            {
                yield return new ServerKey(user, name);
            }
        }
    }

    /// <summary>The redirect URI registered for the client, as JupyterHub gives it: the server's path + <c>oauth_callback</c>.</summary>
    public static string CallbackPath(ServerKey server) => ServerUrls.BasePath(server) + "oauth_callback";

    /// <summary>The scopes that let a token into the server (JUPYTERHUB_OAUTH_ACCESS_SCOPES).</summary>
    public static IReadOnlyList<string> AccessScopes(ServerKey server) =>
        ["access:servers!server=" + server.User + "/" + server.Server, "access:servers!user=" + server.User];

    /// <summary>
    /// The scopes an access token issued to the server's client may carry, as JupyterHub's client: access to this one
    /// server. A token for one server opens no other (not another named server of the same user).
    /// </summary>
    public static IReadOnlyList<string> GrantableScopes(ServerKey server) =>
        ["access:servers!server=" + server.User + "/" + server.Server];

    /// <summary>The scopes of the server's own token: JupyterHub's <c>server</c> role for this server.</summary>
    public static IReadOnlyList<string> ServerRoleScopes(ServerKey server) =>
        ["users:activity!user=" + server.User, "access:servers!server=" + server.User + "/" + server.Server];

    private static string? Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
