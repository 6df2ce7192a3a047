using System.Net;
using Hub.Browser.Tests.Support;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Spawning;

namespace Hub.Browser.Tests;

/// <summary>
/// A client without JavaScript, as load tools and scripts drive the hub (hubtraf's steps): the login form with the
/// <c>_xsrf</c> cookie, then <c>GET /hub/spawn</c> repeated with redirects followed until it lands in Jupyter. Then,
/// inside that plain (gateway-token) server, a kernel finds the hub with the spawner's environment.
/// </summary>
[Collection(HubStackCollection.Name)]
public sealed class ScriptedClientTests(HubStack hub)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LoginFormThenSpawnFollowingRedirects_LandsInJupyterWithin60Seconds_AndAKernelFindsTheHub()
    {
        const string student = "lamarr";
        var key = new ServerKey(student, "");
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
        using var client = new HttpClient(handler) { BaseAddress = hub.Address, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var loginPage = await client.GetAsync("/hub/login");
            Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
            string xsrf = handler.CookieContainer.GetCookies(new Uri(hub.Address, "/hub/login"))["_xsrf"]?.Value
                ?? throw new InvalidOperationException("the login page set no _xsrf cookie");
            using (var noRedirects = new HttpClient(new HttpClientHandler { CookieContainer = handler.CookieContainer, AllowAutoRedirect = false }) { BaseAddress = hub.Address })
            {
                var login = await noRedirects.PostAsync("/hub/login", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["username"] = student,
                    ["password"] = "hello",
                    ["_xsrf"] = xsrf,
                }));
                Assert.Equal(HttpStatusCode.Found, login.StatusCode);
            }

            // The stack offers several profiles, so the script names one (a hub with one profile needs no query).
            string landed = "";
            var started = DateTimeOffset.UtcNow;
            await Eventually.UntilAsync(async () =>
            {
                var response = await client.GetAsync("/hub/spawn?profile=standard");
                landed = response.RequestMessage!.RequestUri!.AbsolutePath;
                return response.StatusCode == HttpStatusCode.OK
                    && (landed == $"/user/{student}/tree" || landed == $"/user/{student}/lab")
                    && (await response.Content.ReadAsStringAsync()).Contains("Jupyter", StringComparison.Ordinal);
            }, Patience, "GET /hub/spawn to land in Jupyter", TimeSpan.FromMilliseconds(500));
            Assert.True(DateTimeOffset.UtcNow - started < Patience);

            // Inside the plain server a kernel reads the hub's URL and the server's token and asks who it is.
            string token = await UserTokenAsync(student);
            string fromInside = await KernelSession.ExecuteAsync(hub.Address, ServerUrls.BasePath(key), token,
                "import os, json, urllib.request as r\n"
                + "json.load(r.urlopen(r.Request(os.environ['JUPYTERHUB_API_URL'] + '/user', headers={'Authorization': 'token ' + os.environ['JUPYTERHUB_API_TOKEN']})))['name']",
                Patience);
            Assert.Equal($"'{student}'", fromInside);
        }
        finally
        {
            await hub.Lifecycle.RequestStopAsync(key);
        }
    }

    private async Task<string> UserTokenAsync(string user)
    {
        string token = SecretHash.NewSecret();
        await hub.Store.Tokens.CreateAsync(new TokenRecord
        {
            Hash = SecretHash.Of(token),
            Id = "a" + Guid.NewGuid().ToString("N")[..8],
            User = user,
            Scopes = ["access:servers!user=" + user],
            Created = DateTimeOffset.UtcNow,
        });
        return token;
    }
}
