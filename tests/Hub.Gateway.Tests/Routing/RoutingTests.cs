using System.Net;
using Hub.Gateway.Routing;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Routing;

[Collection(AzuriteCollection.Name)]
public sealed class RoutingTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task UserPath_RouteAppearsThenDisappears_RedirectedThenForwardedThenRedirected()
    {
        using var client = Gateway.CreateClient(AliceSession);

        var before = await client.GetAsync("/user/alice/tree/notebooks?x=1");
        await Gateway.AddRouteAsync("alice", Backend.Address);
        // No waiting: the route is not in the snapshot yet, and the point read on a miss finds it.
        var during = await client.GetAsync("/user/alice/tree/notebooks?x=1");
        await Gateway.RemoveRouteAsync("alice");
        HttpResponseMessage? after = null;
        await Eventually.UntilAsync(async () =>
        {
            after = await client.GetAsync("/user/alice/tree/notebooks?x=1");
            return after.StatusCode == HttpStatusCode.Found;
        }, Patience, "the removed route to stop being used");

        Assert.Equal(HttpStatusCode.Found, before.StatusCode);
        Assert.Equal("/hub/user/alice/tree/notebooks?x=1", before.Headers.Location?.OriginalString);
        Assert.Equal("/user/alice/tree/notebooks?x=1", (await EchoOf(during)).RawTarget);
        Assert.Equal("/hub/user/alice/tree/notebooks?x=1", after!.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task UserPath_ServerStoppedSinceTheSnapshot_RedirectedToTheHubAtOnce()
    {
        // A snapshot that will not refresh during the test still holds the route after the server stopped.
        await using var gateway = await RunningGateway.StartAsync(Azurite, Backend.Address, new Dictionary<string, string?> { ["Gateway:RouteRefreshInterval"] = "1m" });
        await gateway.AddUserAsync("alice");
        await gateway.AddRouteAsync("alice", new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        await gateway.Get<RouteRefresher>().RefreshAsync(CancellationToken.None);
        await gateway.RemoveRouteAsync("alice");
        using var client = gateway.CreateClient(await gateway.StartSessionAsync("alice"));

        var response = await client.GetAsync("/user/alice/lab?reset");

        Assert.Equal(1, gateway.Get<RouteTable>().Snapshot.Count);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/hub/user/alice/lab?reset", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task UserPath_PostWithoutRoute_RedirectKeepsTheMethod()
    {
        using var client = Gateway.CreateClient(AliceSession);

        var response = await client.PostAsync("/user/alice/api/kernels", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("/hub/user/alice/api/kernels", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("a/b#c?d%e", "/user/a%2Fb%23c%3Fd%25e/lab/tree/x%20y.ipynb?p=%2F#frag", "/hub/user/a%2Fb%23c%3Fd%25e/lab/tree/x%20y.ipynb?p=%2F", "/user/a%2Fb%23c%3Fd%25e/lab/tree/x%20y.ipynb?p=%2F")]
    [InlineData("élodie@example.org", "/user/%C3%A9lodie%40example.org", "/hub/user/%C3%A9lodie@example.org/", "/user/%C3%A9lodie@example.org")]
    [InlineData("élodie@example.org", "/user/%c3%a9lodie@example.org/api?x=%40", "/hub/user/%C3%A9lodie@example.org/api?x=%40", "/user/%C3%A9lodie@example.org/api?x=%40")]
    public async Task UserPath_EncodedName_RedirectAndForwardEscapeTheNameAsTheServerWasStarted(string user, string path, string hubLocation, string forwardedTarget)
    {
        await Gateway.AddUserAsync(user);
        using var client = Gateway.CreateClient(await Gateway.StartSessionAsync(user));

        var redirect = await client.GetAsync(path);
        await Gateway.AddRouteAsync(user, Backend.Address);
        var forwarded = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal(hubLocation, redirect.Headers.Location?.OriginalString);
        Assert.Equal(forwardedTarget, (await EchoOf(forwarded)).RawTarget);
    }

    [Fact]
    public async Task UserPath_NamedServer_LongestPrefixWins()
    {
        await using var named = await TestBackend.StartAsync();
        await Gateway.AddRouteAsync("alice", Backend.Address);
        await Gateway.AddRouteAsync("alice", named.Address, server: "gpu");
        await Gateway.Get<RouteRefresher>().RefreshAsync(CancellationToken.None);
        using var client = Gateway.CreateClient(AliceSession);

        await EchoOf(await client.GetAsync("/user/alice/gpu/lab"));
        await EchoOf(await client.GetAsync("/user/alice/lab"));

        Assert.Contains(named.Requests, r => r.RawTarget == "/user/alice/gpu/lab");
        Assert.Contains(Backend.Requests, r => r.RawTarget == "/user/alice/lab");
        Assert.DoesNotContain(Backend.Requests, r => r.RawTarget == "/user/alice/gpu/lab");
    }

    [Theory]
    [InlineData("/user/alice/../bob/")]
    [InlineData("/user/alice/%2e%2e/bob/")]
    [InlineData("/user//tree")]
    public async Task UserPath_DotSegmentsOrNoName_Is404(string path)
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession);

        // Sent exactly as written: HttpClient would otherwise remove the dot segments itself, as browsers do.
        var raw = new Uri(Gateway.Origin + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var response = await client.GetAsync(raw);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RouteRefresh_TableUnreadable_LastGoodSnapshotKeepsForwarding()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        var refresher = Gateway.Get<RouteRefresher>();
        await refresher.RefreshAsync(CancellationToken.None);
        Assert.Equal(1, Gateway.Get<RouteTable>().Snapshot.Count);

        // Deleting the routes table makes every read fail, as an unreachable store would.
        await Azurite.CreateServiceClient().GetTableClient(Gateway.Store.TableNames.Single(n => n.EndsWith("routes", StringComparison.Ordinal))).DeleteAsync();
        await refresher.RefreshAsync(CancellationToken.None);
        using var client = Gateway.CreateClient(AliceSession);
        var response = await client.GetAsync("/user/alice/lab");

        Assert.NotNull(refresher.LastError);
        Assert.Equal(1, Gateway.Get<RouteTable>().Snapshot.Count);
        Assert.Equal("/user/alice/lab", (await EchoOf(response)).RawTarget);
        Assert.True(GatewayInstruments.Read(Gateway, "hub_gateway_route_refresh_failures_total") >= 1);
    }

    [Fact]
    public async Task OtherPath_RedirectedUnderHub()
    {
        using var client = Gateway.CreateClient();

        var root = await client.GetAsync("/");
        var other = await client.GetAsync(new Uri(Gateway.Origin + "//evil.example/login?next=x", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));

        Assert.Equal("/hub/", root.Headers.Location?.OriginalString);
        Assert.Equal("/hub/evil.example/login?next=x", other.Headers.Location?.OriginalString);
    }
}
