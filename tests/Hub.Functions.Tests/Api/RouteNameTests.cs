using System.Net;
using System.Text.Json;
using Hub.Functions.Tests.Auth;
using Hub.Testing;

namespace Hub.Functions.Tests.Api;

/// <summary>
/// Names in routes are read from the path as sent and decoded once: <c>a%2Fb</c> is the user <c>a/b</c> and
/// <c>a%252fb</c> the user <c>a%2fb</c>, in the API and on the pages alike; URLs come back escaped as JupyterHub escapes them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RouteNameTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a%2fb", "a%252fb")]
    [InlineData("ada@example.org", "ada%40example.org")]
    [InlineData("zoë", "zo%C3%AB")]
    public async Task ApiAndPages_NameFromOneDecodingOfThePath(string user, string segment)
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var api = hub.Api(await hub.TokenAsync(user));
        var (browser, _) = await hub.LoginAsync(user);

        var model = await api.GetAsync($"/hub/api/users/{segment}");
        var started = await api.PostAsync($"/hub/api/users/{segment}/server", null);
        var servers = JsonDocument.Parse(await (await api.GetAsync($"/hub/api/users/{segment}")).Content.ReadAsStringAsync()).RootElement.GetProperty("servers");
        var pending = await browser.GetAsync($"/hub/spawn-pending/{segment}");
        var runningPage = await browser.GetAsync($"/hub/user/{segment}/tree");

        Assert.Equal(HttpStatusCode.OK, model.StatusCode);
        Assert.Equal(user, JsonDocument.Parse(await model.Content.ReadAsStringAsync()).RootElement.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        string escaped = Core.Spawning.ServerUrls.EscapeSegment(user);
        Assert.Equal($"/user/{escaped}/", servers.GetProperty("").GetProperty("url").GetString());
        Assert.Equal($"/hub/api/users/{escaped}/server/progress", servers.GetProperty("").GetProperty("progress_url").GetString());
        // The server runs, so the pending page sends the client on, to the URL escaped as JupyterHub escapes it.
        Assert.Equal(HttpStatusCode.Redirect, pending.StatusCode);
        Assert.Equal($"/user/{escaped}/", pending.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, runningPage.StatusCode);
    }

    [Fact]
    public async Task Spawn_RedirectsToThePendingPageEscapedAsJupyterHub()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        hub.Lifecycle.Behavior = SpawnBehavior.Slow;
        var (browser, _) = await hub.LoginAsync("ada@example.org");

        var spawn = await browser.GetAsync("/hub/spawn");

        Assert.Equal(HttpStatusCode.Redirect, spawn.StatusCode);
        Assert.Equal("/hub/spawn-pending/ada@example.org", spawn.Headers.Location!.OriginalString);
    }
}
