using System.Diagnostics;
using System.Net;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Faults;

/// <summary>A control plane that accepts connections but does not answer: the gateway answers for it within its timeout.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ControlPlaneStallTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task StalledControlPlane_ApiGets504ProblemAndPagesRetry_ProgressStreamWaitsLonger()
    {
        // Everything hangs except the progress stream, which starts answering only after twice the timeout.
        await using var controlPlane = ScriptedBackend.Start(async exchange =>
        {
            if (exchange.Head.Contains("/progress ", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout * 2);
                await exchange.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 16\r\n\r\ndata: {\"a\": 1}\n\n");
                return;
            }
            await exchange.WaitForCloseAsync(TimeSpan.FromSeconds(30));
        });
        await using var gateway = await RunningGateway.StartAsync(azurite, controlPlane.Address,
            new Dictionary<string, string?> { ["Gateway:ControlPlaneTimeout"] = "1s" });
        using var client = gateway.CreateClient();

        var api = await TimedAsync(() => client.GetAsync("/hub/api/users/alice"));
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/hub/home");
        pageRequest.Headers.Add("Accept", "text/html");
        var page = await TimedAsync(() => client.SendAsync(pageRequest));
        var progress = await TimedAsync(() => client.GetAsync("/hub/api/users/alice/server/progress"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, api.Response.StatusCode);
        Assert.Equal("application/problem+json", api.Response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(api.Response.Headers.RetryAfter);
        Assert.True(api.Elapsed < TimeSpan.FromSeconds(5), $"the API answer took {api.Elapsed}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, page.Response.StatusCode);
        Assert.Contains("http-equiv=\"refresh\"", await page.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(page.Elapsed < TimeSpan.FromSeconds(5), $"the page took {page.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, progress.Response.StatusCode);
        Assert.True(progress.Elapsed >= Timeout * 2, $"the progress stream answered after {progress.Elapsed}, before the backend did");
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        long started = Stopwatch.GetTimestamp();
        var response = await send();
        return (response, Stopwatch.GetElapsedTime(started));
    }
}
