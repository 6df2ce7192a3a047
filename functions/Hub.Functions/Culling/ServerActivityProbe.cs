using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hub.Core.Culling;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Functions.Culling;

/// <summary>
/// Asks a running server about its own activity, as Jupyter reports it. Counting what a person does
/// (<see cref="ActivitySource.User"/>), one request: <c>GET /user/{name}/[{server}/]api/kernels?no_track_activity=1</c>
/// tells which kernels are busy (a long computation that prints nothing) and when each last had a message, which an
/// open tab's polling does not move. Counting traffic, as before: <c>GET …/api/status</c> gives the server's own
/// <c>last_activity</c> (which every API call moves) and the number of kernels, and only when there are kernels is the
/// kernel list asked. Neither request counts as activity on the server. The requests go to the server's target
/// directly, not through the gateway, so they are not recorded as the student's activity either.
/// </summary>
/// <param name="client">A client from <see cref="ServerProbeClient.Create"/>: a server that does not answer within <see cref="ServerProbeClient.Timeout"/> is judged on stored activity.</param>
public sealed class ServerActivityProbe(HttpClient client, ServerTokenSource tokens)
{
    /// <summary>What the server says about itself, or why it could not say (then <see cref="ProbeResult.Activity"/> is null).</summary>
    /// <param name="source">What counts as activity (<see cref="CullerOptions.ActivitySource"/>): which of the server's answers to ask.</param>
    public async Task<ProbeResult> AskAsync(ServerRecord server, ActivitySource source, CancellationToken cancellationToken)
    {
        if (server.Target is null || !Uri.TryCreate(server.Target, UriKind.Absolute, out var target) || server.TokenNonce is null)
        {
            return ProbeResult.Failed("no target or token recorded");
        }
        string token = tokens.TokenFor(server.Key, server.TokenNonce);
        try
        {
            DateTimeOffset? lastActivity = null;
            bool askKernels = true;
            if (source == ActivitySource.Traffic)
            {
                using var status = await GetJsonAsync(new Uri(target, ServerUrls.StatusPath(server.Key)), token, cancellationToken).ConfigureAwait(false);
                if (status is null || status.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return ProbeResult.Failed("/api/status did not answer 200 with a JSON object");
                }
                lastActivity = ReadTime(status.RootElement, "last_activity");
                askKernels = status.RootElement.TryGetProperty("kernels", out var count) && count.TryGetInt32(out int n) && n > 0;
            }
            int busy = 0;
            if (askKernels)
            {
                using var list = await GetJsonAsync(new Uri(target, ServerUrls.BasePath(server.Key) + "api/kernels?no_track_activity=1"), token, cancellationToken).ConfigureAwait(false);
                if (list?.RootElement.ValueKind != JsonValueKind.Array)
                {
                    if (source == ActivitySource.User)
                    {
                        return ProbeResult.Failed("/api/kernels did not answer 200 with a JSON array");
                    }
                }
                else
                {
                    foreach (var kernel in list.RootElement.EnumerateArray())
                    {
                        if (kernel.ValueKind != JsonValueKind.Object)
                        {
                            continue;
                        }
                        if (kernel.TryGetProperty("execution_state", out var state) && state.ValueKind == JsonValueKind.String && state.GetString() == "busy")
                        {
                            busy++;
                        }
                        if (ReadTime(kernel, "last_activity") is { } kernelActivity && (lastActivity is null || kernelActivity > lastActivity))
                        {
                            lastActivity = kernelActivity;
                        }
                    }
                }
            }
            return new ProbeResult(new ServerActivity(lastActivity, busy), null);
        }
        catch (HttpRequestException ex)
        {
            return ProbeResult.Failed(ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failed($"no answer within {ServerProbeClient.Timeout.TotalSeconds:0} s");
        }
        catch (JsonException)
        {
            return ProbeResult.Failed("the answer was not JSON");
        }
    }

    private async Task<JsonDocument?> GetJsonAsync(Uri uri, string token, CancellationToken cancellationToken)
    {
        using var request = ServerProbeClient.Get(uri, token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // Jupyter writes ISO 8601 with an offset ("2026-01-01T10:00:00.000000Z"); a naive value is UTC, as the culler reads it.
    private static DateTimeOffset? ReadTime(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
}

/// <param name="Activity">What the server reported; <c>null</c> when it could not be asked.</param>
/// <param name="Problem">Why it could not be asked.</param>
public sealed record ProbeResult(ServerActivity? Activity, string? Problem)
{
    public static ProbeResult Failed(string problem) => new(null, problem);
}
