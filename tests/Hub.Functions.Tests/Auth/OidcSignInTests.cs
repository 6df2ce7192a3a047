using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Auth;

/// <summary>
/// Sign-in through a real OpenID Connect provider (oidc-provider over TLS), as <c>oidc</c> and as <c>entra</c>, with
/// a browser-like client: it keeps cookies, follows redirects and fills in the provider's login form. The hub's public
/// name (hub.test:8000) resolves to the control plane, as it would to the gateway.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class OidcSignInTests(AzuriteFixture azurite)
{
    private const string ClientId = "serverless-hub";
    private const string ClientSecret = "a-client-secret-for-tests-only";
    private static readonly Uri PublicUrl = new("http://hub.test:8000");

    [Fact]
    public async Task Oidc_MemberOfAllowedGroup_SignedInAsSubWithGroups()
    {
        await using var provider = await OidcProviderProcess.StartAsync(ClientId, ClientSecret, new Uri(PublicUrl, "/hub/oauth_callback"),
            groups: new Dictionary<string, string[]> { ["alice"] = ["course-101", "staff"] });
        await using var hub = await StartHubAsync(provider, new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "oidc",
            ["Oidc:Authority"] = provider.Origin.AbsoluteUri,
            ["Oidc:ClientId"] = ClientId,
            ["Oidc:ClientSecret"] = ClientSecret,
            ["Auth:AllowedGroups"] = "course-101",
        });
        using var browser = Browser(hub, provider);

        var page = await FollowAsync(browser, await browser.GetAsync("/hub/login?next=%2Fhub%2Fapi%2Fuser"));
        Assert.Contains("Sign in with OpenID Connect", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var landed = await SignInAsync(browser, "/hub/oauth_login?next=%2Fhub%2Fapi%2Fuser", "alice");

        string body = await landed.Content.ReadAsStringAsync();
        Assert.True(landed.StatusCode == HttpStatusCode.OK, body + provider.Output);
        Assert.Equal(new Uri(PublicUrl, "/hub/api/user"), landed.RequestMessage!.RequestUri);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("alice", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(["course-101", "staff"], json.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task Oidc_NotInAllowedGroup_Refused403()
    {
        await using var provider = await OidcProviderProcess.StartAsync(ClientId, ClientSecret, new Uri(PublicUrl, "/hub/oauth_callback"));
        await using var hub = await StartHubAsync(provider, new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "oidc",
            ["Oidc:Authority"] = provider.Origin.AbsoluteUri,
            ["Oidc:ClientId"] = ClientId,
            ["Oidc:ClientSecret"] = ClientSecret,
            ["Auth:AllowedGroups"] = "course-101",
        });
        using var browser = Browser(hub, provider);

        var refused = await SignInAsync(browser, "/hub/oauth_login", "mallory");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("not allowed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await hub.Store.Users.GetAsync("mallory"));
    }

    [Fact]
    public async Task Entra_SignIn_UserNamedByOidAfterTenantCheck()
    {
        string tenant = Guid.NewGuid().ToString();
        await using var provider = await OidcProviderProcess.StartAsync(ClientId, ClientSecret, new Uri(PublicUrl, "/hub/oauth_callback"), tenant);
        await using var hub = await StartHubAsync(provider, EntraSettings(provider, tenant, new Dictionary<string, string?>
        {
            ["Auth:AllowAll"] = "true",
        }));
        using var browser = Browser(hub, provider);

        var landed = await SignInAsync(browser, "/hub/oauth_login?next=%2Fhub%2Fapi%2Fuser", "bob");

        string body = await landed.Content.ReadAsStringAsync();
        Assert.True(landed.StatusCode == HttpStatusCode.OK, body + provider.Output);
        string name = JsonDocument.Parse(body).RootElement.GetProperty("name").GetString()!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", name);
        Assert.NotEqual("display bob", name);
    }

    [Fact]
    public async Task Entra_TenantNotAllowed_Refused403()
    {
        string tenant = Guid.NewGuid().ToString();
        await using var provider = await OidcProviderProcess.StartAsync(ClientId, ClientSecret, new Uri(PublicUrl, "/hub/oauth_callback"), tenant);
        await using var hub = await StartHubAsync(provider, EntraSettings(provider, tenant, new Dictionary<string, string?>
        {
            ["Entra:AllowedTenants"] = Guid.NewGuid().ToString(),
            ["Auth:AllowAll"] = "true",
        }));
        using var browser = Browser(hub, provider);

        var refused = await SignInAsync(browser, "/hub/oauth_login", "carol");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("organisation may not sign in", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entra_GroupOverageWithGroupRules_RefusedSayingWhy()
    {
        string tenant = Guid.NewGuid().ToString();
        await using var provider = await OidcProviderProcess.StartAsync(ClientId, ClientSecret, new Uri(PublicUrl, "/hub/oauth_callback"), tenant, overage: ["dave"]);
        await using var hub = await StartHubAsync(provider, EntraSettings(provider, tenant, new Dictionary<string, string?>
        {
            ["Auth:AllowedGroups"] = "course-101",
        }));
        using var browser = Browser(hub, provider);

        var refused = await SignInAsync(browser, "/hub/oauth_login", "dave");

        string body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, body + provider.Output);
        Assert.Contains("more groups than the identity provider puts in a sign-in token", body, StringComparison.Ordinal);
        Assert.Contains("Groups assigned to the application", System.Net.WebUtility.HtmlDecode(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entra_GroupOverageWithoutGroupRules_SignedIn()
    {
        string tenant = Guid.NewGuid().ToString();
        await using var provider = await OidcProviderProcess.StartAsync(ClientId, ClientSecret, new Uri(PublicUrl, "/hub/oauth_callback"), tenant, overage: ["erin"]);
        await using var hub = await StartHubAsync(provider, EntraSettings(provider, tenant, new Dictionary<string, string?>
        {
            ["Auth:AllowAll"] = "true",
        }));
        using var browser = Browser(hub, provider);

        var landed = await SignInAsync(browser, "/hub/oauth_login?next=%2Fhub%2Fapi%2Fuser", "erin");

        string body = await landed.Content.ReadAsStringAsync();
        Assert.True(landed.StatusCode == HttpStatusCode.OK, body + provider.Output);
        Assert.Empty(JsonDocument.Parse(body).RootElement.GetProperty("groups").EnumerateArray());
    }

    [Fact]
    public async Task Callback_ForgedStateOrNoStateCookie_Refused403()
    {
        await using var provider = await OidcProviderProcess.StartAsync(ClientId, ClientSecret, new Uri(PublicUrl, "/hub/oauth_callback"));
        await using var hub = await StartHubAsync(provider, new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "oidc",
            ["Oidc:Authority"] = provider.Origin.AbsoluteUri,
            ["Oidc:ClientId"] = ClientId,
            ["Oidc:ClientSecret"] = ClientSecret,
            ["Auth:AllowAll"] = "true",
        });
        using var browser = Browser(hub, provider);

        var withoutCookie = await browser.GetAsync("/hub/oauth_callback?code=abc&state=xyz");
        var start = await browser.GetAsync("/hub/oauth_login");
        Assert.Equal(HttpStatusCode.Found, start.StatusCode);
        Assert.Contains("code_challenge_method=S256", start.Headers.Location!.Query, StringComparison.Ordinal);
        var forged = await browser.GetAsync("/hub/oauth_callback?code=abc&state=not-the-state");

        Assert.Equal(HttpStatusCode.Forbidden, withoutCookie.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    /// <summary>The Entra authenticator against <paramref name="provider"/> as <paramref name="tenant"/>, plus the test's own rules.</summary>
    private static Dictionary<string, string?> EntraSettings(OidcProviderProcess provider, string tenant, Dictionary<string, string?> rules) =>
        new(rules)
        {
            ["Auth:Authenticator"] = "entra",
            ["Entra:Instance"] = provider.Origin.AbsoluteUri,
            ["Entra:TenantId"] = tenant,
            ["Entra:ClientId"] = ClientId,
            ["Entra:ClientSecret"] = ClientSecret,
        };

    private Task<TestHub> StartHubAsync(OidcProviderProcess provider, Dictionary<string, string?> settings)
    {
        settings["Hub:PublicUrl"] = PublicUrl.AbsoluteUri;
        return TestHub.StartAsync(azurite, settings, services =>
            services.AddHttpClient("oidc").ConfigurePrimaryHttpMessageHandler(() => provider.TrustingHandler()));
    }

    /// <summary>A browser whose DNS maps the hub's public name to the control plane and which trusts the provider's certificate.</summary>
    private static HttpClient Browser(TestHub hub, OidcProviderProcess provider)
    {
        var handler = provider.TrustingHandler(async (context, cancellationToken) =>
        {
            var target = context.DnsEndPoint.Host == PublicUrl.Host && context.DnsEndPoint.Port == PublicUrl.Port
                ? new DnsEndPoint("127.0.0.1", hub.Address.Port)
                : context.DnsEndPoint;
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(target, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        });
        handler.CookieContainer = new CookieContainer();
        handler.UseCookies = true;
        // .NET refuses to follow https → http redirects (a browser does): redirects are followed in FollowAsync.
        handler.AllowAutoRedirect = false;
        return new HttpClient(handler) { BaseAddress = PublicUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Follows redirects as a browser does (303 and 302 after POST become GET), at most 20.</summary>
    private static async Task<HttpResponseMessage> FollowAsync(HttpClient browser, HttpResponseMessage response)
    {
        for (int hops = 0; hops < 20 && (int)response.StatusCode is 301 or 302 or 303 or 307 or 308; hops++)
        {
            var target = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response = await browser.GetAsync(target);
        }
        return response;
    }

    /// <summary>Starts the sign-in, fills in the provider's login form, and follows every redirect back to the hub.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string start, string login)
    {
        var form = await FollowAsync(browser, await browser.GetAsync(start));
        string html = await form.Content.ReadAsStringAsync();
        var action = FormAction().Match(html);
        Assert.True(action.Success, $"Expected the provider's login form at {form.RequestMessage?.RequestUri}, got {(int)form.StatusCode}: {html}");
        var target = new Uri(form.RequestMessage!.RequestUri!, action.Groups[1].Value);
        return await FollowAsync(browser, await browser.PostAsync(target, new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login })));
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
