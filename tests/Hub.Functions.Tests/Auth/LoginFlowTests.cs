using System.Net;
using System.Text.Json;
using Hub.Core.Security;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Auth;

[Collection(AzuriteCollection.Name)]
public sealed class LoginFlowTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Login_HubtrafContract_Get200WithXsrfCookieThenPost302()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (client, cookies) = hub.Browser(followRedirects: false);

        var page = await client.GetAsync("/hub/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string xsrf = hub.Xsrf(cookies);
        var post = await client.PostAsync("/hub/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "hubtraf-1", ["password"] = "hello", ["_xsrf"] = xsrf,
        }));

        Assert.Equal(HttpStatusCode.Found, post.StatusCode);
        Assert.Equal("/hub/home", post.Headers.Location?.OriginalString);
        string setCookie = string.Join("\n", post.Headers.GetValues("Set-Cookie"));
        Assert.Matches("hub-session=[A-Za-z0-9_-]{43}; max-age=1209600; path=/; samesite=lax; httponly", setCookie.ToLowerInvariant().Replace("expires=", "").Split('\n').Select(c => System.Text.RegularExpressions.Regex.Replace(c, "; [a-z]{3}, [^;]+ gmt", "")).First(c => c.StartsWith("hub-session", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Login_BrowserFollowsRedirects_LandsOnNextWithSession()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (client, cookies) = hub.Browser();
        var page = await client.GetAsync("/hub/login?next=%2Fhub%2Fapi%2Fuser");
        string xsrf = TestHub.FormXsrf(await page.Content.ReadAsStringAsync());

        var landed = await client.PostAsync("/hub/login?next=%2Fhub%2Fapi%2Fuser", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "  Alice ", ["password"] = "x", ["_xsrf"] = xsrf,
        }));

        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/hub/api/user", landed.RequestMessage!.RequestUri!.AbsolutePath);
        using var body = JsonDocument.Parse(await landed.Content.ReadAsStringAsync());
        Assert.Equal("alice", body.RootElement.GetProperty("name").GetString());
        string session = cookies.GetCookies(hub.Address)["hub-session"]!.Value;
        Assert.NotNull(await hub.Store.Sessions.GetAsync(SecretHash.Of(session)));
        await foreach (var stored in hub.Store.Sessions.ListAsync())
        {
            Assert.NotEqual(session, stored.IdHash);
        }
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("http://127.0.0.1:8000//evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task Login_OpenRedirectTarget_LandsOnDefault(string next)
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (client, cookies) = hub.Browser(followRedirects: false);
        await client.GetAsync("/hub/login");

        var post = await client.PostAsync("/hub/login?next=" + Uri.EscapeDataString(next), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "bob", ["password"] = "x", ["_xsrf"] = hub.Xsrf(cookies),
        }));

        Assert.Equal(HttpStatusCode.Found, post.StatusCode);
        Assert.Equal("/hub/home", post.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LoginPage_AlreadyLoggedIn_RedirectsToValidatedNext()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (client, _) = await hub.LoginAsync("walt");

        var toNext = await client.GetAsync("/hub/login?next=%2Fuser%2Fwalt%2Flab");
        var offSite = await client.GetAsync("/hub/login?next=%2F%2Fevil.example");

        Assert.Equal(HttpStatusCode.Found, toNext.StatusCode);
        Assert.Equal("/user/walt/lab", toNext.Headers.Location!.OriginalString);
        Assert.Equal("/hub/home", offSite.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_WithoutXsrf_Is403AndNoSession()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (client, cookies) = hub.Browser(followRedirects: false);
        await client.GetAsync("/hub/login");

        var request = new HttpRequestMessage(HttpMethod.Post, "/hub/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "carol", ["password"] = "x" }),
        };
        request.Headers.Add("Sec-Fetch-Mode", "no-cors");
        var post = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Null(cookies.GetCookies(hub.Address)["hub-session"]);

        var crossSite = new HttpRequestMessage(HttpMethod.Post, "/hub/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "carol", ["password"] = "x", ["_xsrf"] = hub.Xsrf(cookies) }),
        };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(crossSite)).StatusCode);
        Assert.Null(cookies.GetCookies(hub.Address)["hub-session"]);
    }

    [Fact]
    public async Task Logout_OneTab_EndsSessionInEveryTab()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (tab1, cookies) = await hub.LoginAsync("dave");
        using var tab2 = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = hub.Address };
        Assert.Equal(HttpStatusCode.OK, (await tab2.GetAsync("/hub/api/user")).StatusCode);
        string session = cookies.GetCookies(hub.Address)["hub-session"]!.Value;

        var logout = await tab1.GetAsync("/hub/logout");

        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.Null(await hub.Store.Sessions.GetAsync(SecretHash.Of(session)));
        using var stale = new HttpClient { BaseAddress = hub.Address };
        stale.DefaultRequestHeaders.Add("Cookie", "hub-session=" + session);
        Assert.Equal(HttpStatusCode.Forbidden, (await stale.GetAsync("/hub/api/user")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "Sec-Fetch-Site", "cross-site", HttpStatusCode.OK)]
    [InlineData("GET", "Sec-Fetch-Site", "same-site", HttpStatusCode.OK)]
    [InlineData("POST", "Origin", "https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("POST", "Sec-Fetch-Site", "same-origin", HttpStatusCode.Forbidden)]
    public async Task Logout_FromAnotherSiteOrWithoutXsrf_AsksInsteadAndKeepsTheSessionAndServers(string method, string header, string value, HttpStatusCode status)
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Auth:StopServersOnLogout"] = "true" });
        var (client, cookies) = await hub.LoginAsync("faye");
        await hub.Lifecycle.RequestStartAsync(new("faye", ""), Core.Spawning.StartOptions.Default);
        using var request = new HttpRequestMessage(new HttpMethod(method), "/hub/logout");
        request.Headers.Add(header, value);

        var asked = await client.SendAsync(request);
        string page = await asked.Content.ReadAsStringAsync();
        var stillIn = await client.GetAsync("/hub/api/user");
        var confirmed = await client.PostAsync("/hub/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["_xsrf"] = TestHub.FormXsrf(page) }));

        Assert.Equal(status, asked.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/hub/logout\">", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.Found, confirmed.StatusCode);
        Assert.Equal("/hub/login", confirmed.Headers.Location?.OriginalString);
        Assert.Null(cookies.GetCookies(hub.Address)["hub-session"]);
        Assert.Equal(Core.Store.ServerDesiredState.Stopped, (await hub.Store.Servers.GetAsync(new("faye", "")))!.Desired);
    }

    [Fact]
    public async Task Logout_StopServersOnLogout_StopsRunningServer()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Auth:StopServersOnLogout"] = "true" });
        var (client, _) = await hub.LoginAsync("erin");
        await hub.Lifecycle.RequestStartAsync(new("erin", ""), Core.Spawning.StartOptions.Default);

        await client.GetAsync("/hub/logout");

        var server = await hub.Store.Servers.GetAsync(new("erin", ""));
        Assert.Equal(Core.Store.ServerDesiredState.Stopped, server!.Desired);
    }

    [Fact]
    public async Task SharedPassword_WrongThenRight_403Then302AndAdminOnlyWithAdminPassword()
    {
        const string adminPassword = "an-admin-password-of-at-least-32-chars!";
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "shared-password",
            ["Auth:SharedPassword"] = "workshop-2026",
            ["Auth:AdminPassword"] = adminPassword,
        });

        var wrong = await PostLoginAsync(hub, "frank", "workshop-2025");
        var right = await PostLoginAsync(hub, "frank", "workshop-2026");
        var adminWithShared = await PostLoginAsync(hub, "admin", "workshop-2026");
        var adminWithAdmin = await PostLoginAsync(hub, "admin", adminPassword);
        var userWithAdmin = await PostLoginAsync(hub, "grace", adminPassword);

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Contains("Invalid username or password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, right.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, adminWithShared.StatusCode);
        Assert.Equal(HttpStatusCode.Found, adminWithAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, userWithAdmin.StatusCode);
        Assert.True((await hub.Store.Users.GetAsync("admin"))!.Admin);
        Assert.False((await hub.Store.Users.GetAsync("frank"))!.Admin);
    }

    [Fact]
    public async Task Login_RepeatedFailures_429WithRetryAfterEvenWithRightPassword()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "shared-password",
            ["Auth:SharedPassword"] = "workshop-2026",
            ["Auth:FailedLoginLimitPerUser"] = "3",
        });
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await PostLoginAsync(hub, "henry", "guess-" + i)).StatusCode);
        }

        var throttled = await PostLoginAsync(hub, "henry", "workshop-2026");
        var otherUser = await PostLoginAsync(hub, "irene", "workshop-2026");

        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.Found, otherUser.StatusCode);
    }

    [Fact]
    public async Task Login_BlockedAndNotAllowed_Refused()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Auth:AllowedUsers"] = "judy,mallory",
            ["Auth:BlockedUsers"] = "Mallory",
        });

        Assert.Equal(HttpStatusCode.Found, (await PostLoginAsync(hub, "judy", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostLoginAsync(hub, "mallory", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostLoginAsync(hub, "oscar", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await PostLoginAsync(hub, "admin", "x")).StatusCode);
    }

    [Fact]
    public async Task Login_HugeUserName_RefusedWithoutLoggingItWhole()
    {
        var logs = new CapturingLoggerProvider();
        await using var hub = await TestHub.StartAsync(azurite, services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        string huge = new('x', 5000);

        var response = await PostLoginAsync(hub, huge, "x");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(new string('x', 100), logs.Text, StringComparison.Ordinal);
        Assert.Contains(new string('x', 64) + "…", logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_UserNameEchoed_IsHtmlEncoded()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "shared-password",
            ["Auth:SharedPassword"] = "workshop-2026",
        });

        var response = await PostLoginAsync(hub, "<script>alert(1)</script>", "wrong-password");

        string html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(TestHub hub, string user, string password)
    {
        var (client, cookies) = hub.Browser(followRedirects: false);
        await client.GetAsync("/hub/login");
        return await client.PostAsync("/hub/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = user, ["password"] = password, ["_xsrf"] = hub.Xsrf(cookies),
        }));
    }
}
