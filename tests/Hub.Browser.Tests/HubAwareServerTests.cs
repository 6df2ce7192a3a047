using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>
/// Debian's unmodified <c>jupyterhub-singleuser</c> (JupyterHub 3.0), started by the local spawner and reached through
/// the gateway: it logs the student in through the hub's OAuth provider, runs kernels, calls the hub's API with its
/// own token and reports its activity; once stopped, its OAuth client is gone.
/// </summary>
[Collection(HubStackCollection.Name)]
public sealed class HubAwareServerTests(HubStack hub)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SingleUserServer_OAuthRoundTripKernelHubApiAndActivity_AllWorkThroughTheGateway()
    {
        const string student = "hopper";
        var key = new ServerKey(student, "");
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, student);
        await page.GetByLabel("Profile").SelectOptionAsync(HubStack.HubAwareProfile);
        var callbacks = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/oauth_callback", StringComparison.Ordinal) || request.Url.Contains("/hub/api/oauth2/authorize", StringComparison.Ordinal))
            {
                callbacks.Add(new Uri(request.Url).AbsolutePath);
            }
        };

        await page.GetByRole(AriaRole.Button, new() { Name = "Start my server" }).ClickAsync();

        // The server sends the browser through the hub's authorize endpoint and back with a code, then to its tree.
        await page.WaitForURLAsync(new Regex($"^{hub.Origin}/user/{student}/tree"), new() { Timeout = 120_000 });
        await Expect(page.Locator("#notebook_list")).ToBeVisibleAsync();
        await HubStack.ScreenshotAsync(page, "hub-aware-tree");
        Assert.Equal(["/hub/api/oauth2/authorize", $"/user/{student}/oauth_callback"], callbacks.Distinct());
        var cookies = await context.CookiesAsync([hub.Address.AbsoluteUri + $"user/{student}/"]);
        Assert.Contains(cookies, c => c.Name == ServerOAuthClient.ClientId(key) && c.Path == $"/user/{student}/");

        // A kernel answers over a WebSocket through the gateway, with a token the server checks with the hub.
        string token = await UserTokenAsync(student);
        string basePath = ServerUrls.BasePath(key);
        Assert.Equal("2", await KernelSession.ExecuteAsync(hub.Address, basePath, token, "1+1", Patience));
        string fromInside = await KernelSession.ExecuteAsync(hub.Address, basePath, token,
            "import os, json, urllib.request as r\n"
            + "json.load(r.urlopen(r.Request(os.environ['JUPYTERHUB_API_URL'] + '/user', headers={'Authorization': 'token ' + os.environ['JUPYTERHUB_API_TOKEN']})))['name']",
            Patience);
        Assert.Equal($"'{student}'", fromInside);

        // A token for another user's server, or for another named server of the same user, does not open this one.
        await hub.Store.Users.CreateAsync(new UserRecord { Name = "lovelace", Created = DateTimeOffset.UtcNow });
        using (var gateway = new HttpClient { BaseAddress = hub.Address })
        {
            foreach (var (owner, scope) in new[] { ("lovelace", "access:servers!user=lovelace"), (student, $"access:servers!server={student}/lab") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, basePath + "api/contents");
                request.Headers.Authorization = new AuthenticationHeaderValue("token", await UserTokenAsync(owner, scope));
                Assert.Equal(HttpStatusCode.Forbidden, (await gateway.SendAsync(request)).StatusCode);
            }
        }

        // Activity the server itself saw (a request that bypasses the gateway) reaches the hub.
        var route = await hub.Store.Routes.GetAsync(key) ?? throw new InvalidOperationException("no route");
        Assert.True(route.HubAware);
        var before = DateTimeOffset.UtcNow;
        using (var direct = new HttpClient { BaseAddress = route.Target })
        {
            direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", hub.ControlPlane.GetRequiredService<ServerTokenSource>().TokenFor(key, route.TokenNonce));
            Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync(basePath + "api/contents")).StatusCode);
        }
        await Eventually.UntilAsync(async () => (await hub.ServerAsync(student))?.LastActivity >= before.AddSeconds(-1), Patience, "the server's own activity report");

        await hub.Lifecycle.RequestStopAsync(key);
        await Eventually.UntilAsync(async () => (await hub.ServerAsync(student))?.Phase == ServerPhase.Stopped, Patience, "the server to stop");
        Assert.Equal(400, (await page.GotoAsync($"/hub/api/oauth2/authorize?client_id={ServerOAuthClient.ClientId(key)}&response_type=code"))!.Status);
    }

    private Task<string> UserTokenAsync(string user) => UserTokenAsync(user, "access:servers!user=" + user);

    private async Task<string> UserTokenAsync(string user, string scope)
    {
        string token = SecretHash.NewSecret();
        await hub.Store.Tokens.CreateAsync(new TokenRecord
        {
            Hash = SecretHash.Of(token),
            Id = "a" + Guid.NewGuid().ToString("N")[..8],
            User = user,
            Scopes = [scope],
            Created = DateTimeOffset.UtcNow,
        });
        return token;
    }
}
