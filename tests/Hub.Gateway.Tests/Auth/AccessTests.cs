using System.Diagnostics;
using System.Net;
using Hub.Core.Security;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Auth;

[Collection(AzuriteCollection.Name)]
public sealed class AccessTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Gateway.AddRouteAsync("alice", Backend.Address);
    }

    [Fact]
    public async Task UserPath_NoCredentials_BrowserGoesToLoginAndApiIs403()
    {
        using var client = Gateway.CreateClient();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/user/alice/lab?x=1");
        page.Headers.Accept.ParseAdd("text/html");

        var browser = await client.SendAsync(page);
        var api = await client.GetAsync("/user/alice/api/contents");

        Assert.Equal(HttpStatusCode.Found, browser.StatusCode);
        Assert.Equal("/hub/login?next=%2Fuser%2Falice%2Flab%3Fx%3D1", browser.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(Backend.Requests, r => r.RawTarget.StartsWith("/user/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserPath_AnotherUsersSession_Is403()
    {
        await Gateway.AddUserAsync("bob");
        using var client = Gateway.CreateClient(await Gateway.StartSessionAsync("bob"));

        var response = await client.GetAsync("/user/alice/api/contents");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(Backend.Requests, r => r.RawTarget.StartsWith("/user/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserPath_AdminSession_IsForwarded()
    {
        await Gateway.AddUserAsync("root", admin: true);
        using var client = Gateway.CreateClient(await Gateway.StartSessionAsync("root"));

        var response = await client.GetAsync("/user/alice/api/contents");

        Assert.Equal("/user/alice/api/contents", (await EchoOf(response)).RawTarget);
    }

    [Fact]
    public async Task UserPath_ExpiredSessionOrUnknownCookie_Is403()
    {
        using var expired = Gateway.CreateClient(await Gateway.StartSessionAsync("alice", TimeSpan.FromSeconds(-1)));
        using var unknown = Gateway.CreateClient("not-a-session");

        Assert.Equal(HttpStatusCode.Forbidden, (await expired.GetAsync("/user/alice/api/contents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await unknown.GetAsync("/user/alice/api/contents")).StatusCode);
    }

    [Fact]
    public async Task OneConnection_CookieChangesBetweenRequests_EachRequestIsItsOwnUser()
    {
        // The gateway keeps the session it found in a Cookie header for as long as the connection sends the same header.
        await Gateway.AddUserAsync("bob");
        string bob = await Gateway.StartSessionAsync("bob");
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 1, AllowAutoRedirect = false })
        {
            BaseAddress = Gateway.Address,
        };
        async Task<HttpStatusCode> AsAsync(string cookie)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/user/alice/api/status");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await AsAsync($"{HubCookies.Session}={AliceSession}"));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync($"{HubCookies.Session}={bob}"));
        Assert.Equal(HttpStatusCode.OK, await AsAsync($"theme=dark; {HubCookies.Session}={AliceSession}"));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync("theme=dark"));
        Assert.Equal(HttpStatusCode.OK, await AsAsync($"{HubCookies.Session}={AliceSession}"));
        Assert.Equal(HttpStatusCode.Forbidden, await AsAsync($"{HubCookies.Session}={new string('x', 600)}"));
        Assert.Equal(3, Backend.Requests.Count(r => r.RawTarget == "/user/alice/api/status"));
    }

    [Fact]
    public async Task UserPath_SessionRevoked_StopsWorkingWithin5Seconds()
    {
        using var client = Gateway.CreateClient(AliceSession);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/user/alice/api/status")).StatusCode);

        await Gateway.EndSessionAsync(AliceSession);
        var revoked = Stopwatch.StartNew();
        await Eventually.UntilAsync(async () => (await client.GetAsync("/user/alice/api/status")).StatusCode == HttpStatusCode.Forbidden,
            TimeSpan.FromSeconds(5), "the revoked session to be refused");

        Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(5), $"took {revoked.Elapsed}");
    }

    [Theory]
    [InlineData("token", "access:servers", HttpStatusCode.OK)]
    [InlineData("Bearer", "access:servers!user=alice", HttpStatusCode.OK)]
    [InlineData("token", "access:servers!server=alice/", HttpStatusCode.OK)]
    [InlineData("token", "access:servers!user=bob", HttpStatusCode.Forbidden)]
    [InlineData("token", "access:servers!server=alice/other", HttpStatusCode.Forbidden)]
    [InlineData("token", "read:users", HttpStatusCode.Forbidden)]
    [InlineData("token", "self", HttpStatusCode.OK)]
    [InlineData("token", "inherit", HttpStatusCode.OK)]
    [InlineData("token", "servers", HttpStatusCode.Forbidden)]
    public async Task UserPath_OwnersToken_NeedsAccessServersForThisServer(string scheme, string scope, HttpStatusCode expected)
    {
        string token = await Gateway.AddTokenAsync("alice", [scope]);
        using var client = Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/user/alice/api/status");
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");

        var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task UserPath_TokenScopes_AreNarrowedToWhatTheirOwnerMayDo()
    {
        await Gateway.AddUserAsync("bob");
        await Gateway.AddUserAsync("root", admin: true);
        string bobsUnfiltered = await Gateway.AddTokenAsync("bob", ["access:servers"]);
        string adminToken = await Gateway.AddTokenAsync("root", ["access:servers"]);
        using var client = Gateway.CreateClient();

        async Task<HttpStatusCode> OpenAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/user/alice/api/status");
            request.Headers.TryAddWithoutValidation("Authorization", "token " + token);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await OpenAsync(bobsUnfiltered));
        Assert.Equal(HttpStatusCode.OK, await OpenAsync(adminToken));
    }

    [Fact]
    public async Task UserPath_AdminDemoted_SessionAndTokenLoseOtherUsersServersWithin5Seconds()
    {
        await Gateway.AddUserAsync("chief", admin: true);
        using var viaSession = Gateway.CreateClient(await Gateway.StartSessionAsync("chief"));
        string token = await Gateway.AddTokenAsync("chief", ["access:servers"]);
        using var viaToken = Gateway.CreateClient();
        viaToken.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "token " + token);
        Assert.Equal(HttpStatusCode.OK, (await viaSession.GetAsync("/user/alice/api/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viaToken.GetAsync("/user/alice/api/status")).StatusCode);

        // The identities the gateway keeps with its cached records must follow the record, not outlive it.
        await Gateway.Store.Users.ChangeAsync("chief", u => u with { Admin = false });
        var demoted = Stopwatch.StartNew();
        await Eventually.UntilAsync(async () =>
            (await viaSession.GetAsync("/user/alice/api/status")).StatusCode == HttpStatusCode.Forbidden
            && (await viaToken.GetAsync("/user/alice/api/status")).StatusCode == HttpStatusCode.Forbidden,
            TimeSpan.FromSeconds(5), "the demoted admin's session and token to be refused");

        Assert.True(demoted.Elapsed < TimeSpan.FromSeconds(5), $"took {demoted.Elapsed}");
    }

    [Fact]
    public async Task UserPath_ExpiredTokenOrOtherUsersToken_Is403()
    {
        await Gateway.AddUserAsync("bob");
        string expired = await Gateway.AddTokenAsync("alice", ["access:servers"], DateTimeOffset.UtcNow.AddMinutes(-1));
        string bobs = await Gateway.AddTokenAsync("bob", ["access:servers"]);
        using var client = Gateway.CreateClient();

        foreach (var token in new[] { expired, bobs })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/user/alice/api/status");
            request.Headers.TryAddWithoutValidation("Authorization", "token " + token);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
        }
    }

    [Theory]
    [InlineData("https://evil.example", null, HttpStatusCode.Forbidden)]
    [InlineData("null", null, HttpStatusCode.Forbidden)]
    [InlineData(null, "cross-site", HttpStatusCode.Forbidden)]
    [InlineData("self", "same-origin", HttpStatusCode.OK)]
    [InlineData(null, null, HttpStatusCode.OK)]
    public async Task UserPath_Post_RefusedWhenCrossSite(string? origin, string? fetchSite, HttpStatusCode expected)
    {
        using var client = Gateway.CreateClient(AliceSession);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/user/alice/api/contents") { Content = new StringContent("{}") };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin == "self" ? Gateway.Origin : origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task UserPath_GetFromAnotherSite_IsForwarded()
    {
        using var client = Gateway.CreateClient(AliceSession);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/user/alice/lab");
        request.Headers.TryAddWithoutValidation("Origin", "https://links.example");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }
}
