using System.Text.Json;

namespace Hub.Core.Spawning;

/// <summary>
/// The environment every server gets from the hub, as JupyterHub's <c>Spawner.get_env</c> gives it: who it belongs
/// to, where it lives, how it reaches the hub's API with its own token, and its OAuth client. The one place these
/// are built; both spawners add them after the profile's variables (profiles cannot set <c>JUPYTERHUB_*</c>).
/// </summary>
public static class ServerEnvironment
{
    /// <summary>The variables holding the server's token: secure values in ACI, never logged.</summary>
    public static readonly IReadOnlySet<string> SecretNames = new HashSet<string>(StringComparer.Ordinal) { "JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN" };

    /// <summary>The variables for <paramref name="start"/>.</summary>
    /// <param name="start">The start (server, token, hub API URL).</param>
    /// <param name="serviceUrl">Where the server listens, as <c>http://{ip}:{port}</c> (JUPYTERHUB_SERVICE_URL adds its path).</param>
    public static IReadOnlyDictionary<string, string> For(SpawnerStart start, string serviceUrl)
    {
        var key = start.Key;
        string api = start.HubApiUrl.AbsoluteUri.TrimEnd('/');
        string basePath = ServerUrls.BasePath(key);
        string accessScopes = JsonSerializer.Serialize(ServerOAuthClient.AccessScopes(key));
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["JUPYTER_TOKEN"] = start.Token,
            ["JUPYTERHUB_API_TOKEN"] = start.Token,
            ["JUPYTERHUB_API_URL"] = api,
            ["JUPYTERHUB_ACTIVITY_URL"] = api + "/users/" + ServerUrls.EscapeSegment(key.User) + "/activity",
            ["JUPYTERHUB_BASE_URL"] = "/",
            ["JUPYTERHUB_CLIENT_ID"] = ServerOAuthClient.ClientId(key),
            // Empty without per-user subdomains: the OAuth redirects stay on the one origin.
            ["JUPYTERHUB_HOST"] = "",
            ["JUPYTERHUB_OAUTH_CALLBACK_URL"] = ServerOAuthClient.CallbackPath(key),
            ["JUPYTERHUB_OAUTH_SCOPES"] = accessScopes,
            ["JUPYTERHUB_OAUTH_ACCESS_SCOPES"] = accessScopes,
            ["JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES"] = accessScopes,
            ["JUPYTERHUB_SERVER_NAME"] = key.Server,
            ["JUPYTERHUB_SERVICE_PREFIX"] = basePath,
            ["JUPYTERHUB_SERVICE_URL"] = serviceUrl.TrimEnd('/') + basePath,
            ["JUPYTERHUB_USER"] = key.User,
        };
    }
}
