using System.Net;
using System.Net.Http.Headers;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// Asks a started server whether it answers: <c>GET {target}/user/{name}/api/status</c> with the server's token must
/// answer 200. A server that answers without the right token is not ready, so a wrong token shows up at start, not
/// at the student's first click.
/// </summary>
public sealed class ReadinessProbe(HttpClient client)
{
    /// <summary>The longest one probe may take; the loop probes again until the HTTP timeout.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A client suited to probing servers: no proxy, no cookies, short connect timeout.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = ProbeTimeout,
    };

    public async Task<bool> IsReadyAsync(Uri target, ServerKey server, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, ServerUrls.StatusPath(server)));
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
