using System.Net.Http.Headers;

namespace Hub.Core.Spawning;

/// <summary>
/// The one HTTP setup for the questions the hub asks a user server directly, at its target rather than through the
/// gateway: whether it is ready (<see cref="ReadinessProbe"/>) and how active it is (the idle culler). No proxy, no
/// cookies, no redirects (a server that redirects a probe does not answer it), short timeouts, the server's token.
/// </summary>
public static class ServerProbeClient
{
    /// <summary>The longest one question to a server may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>A client for probing servers; one is shared by all probes of its kind.</summary>
    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = 16,
    })
    {
        Timeout = ServerProbeClient.Timeout,
    };

    /// <summary>A <c>GET</c> of <paramref name="uri"/> carrying the server's token as Jupyter expects it.</summary>
    public static HttpRequestMessage Get(Uri uri, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        return request;
    }
}
