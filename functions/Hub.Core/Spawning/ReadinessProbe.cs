using System.Net;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// Asks a started server whether it answers: <c>GET {target}/user/{name}/api/status</c> with the server's token must
/// answer 200. A server that answers without the right token is not ready, so a wrong token shows up at start, not
/// at the student's first click.
/// </summary>
/// <param name="client">A client from <see cref="ServerProbeClient.Create"/>; one probe may take up to <see cref="ServerProbeClient.Timeout"/>, and the loop probes again until the HTTP timeout.</param>
public sealed class ReadinessProbe(HttpClient client)
{
    public async Task<bool> IsReadyAsync(Uri target, ServerKey server, string token, CancellationToken cancellationToken)
    {
        using var request = ServerProbeClient.Get(new Uri(target, ServerUrls.StatusPath(server)), token);
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
