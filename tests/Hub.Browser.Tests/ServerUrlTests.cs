using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>
/// Users named by an e-mail address, in another script, or with a slash start their server and open it from the home
/// page: the server's URL is built one way everywhere (the API, the pages, the spawner, the gateway).
/// </summary>
[Collection(HubStackCollection.Name)]
public sealed class ServerUrlTests(HubStack hub)
{
    [Theory]
    [InlineData("ada@example.org")]
    [InlineData("zoë")]
    [InlineData("a/b")]
    public async Task UserWithEscapedName_StartsAndOpensTheServerFromHome(string user)
    {
        string basePath = ServerUrls.BasePath(user, "");
        var tree = new Regex("^" + Regex.Escape(hub.Address.GetLeftPart(UriPartial.Authority) + basePath) + "tree");
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        try
        {
            await PageSteps.SignInToHomeAsync(page, user);
            await page.GetByRole(AriaRole.Button, new() { Name = "Start my server" }).ClickAsync();
            await page.WaitForURLAsync(new Regex(Regex.Escape(ServerUrls.SpawnPendingPath(user, "")) + "$"));
            await page.WaitForURLAsync(tree, new() { Timeout = 90_000 });

            await page.GotoAsync("/hub/home");
            await Expect(page.Locator("#state")).ToHaveTextAsync("running");
            await page.GetByRole(AriaRole.Link, new() { Name = "Open my server" }).ClickAsync();
            await page.WaitForURLAsync(tree);
            await Expect(page.Locator("#notebook_list")).ToBeVisibleAsync();

            // The API's url is the one the server answers at; so is the same path with the name escaped differently.
            string apiUrl = await page.EvaluateAsync<string>(
                "async (path) => (await (await fetch(path)).json()).servers[''].url", "/hub/api/users/" + Uri.EscapeDataString(user));
            Assert.Equal(basePath, apiUrl);
            string otherwiseEscaped = "/user/" + Uri.EscapeDataString(user).Replace("%C3%AB", "%c3%ab", StringComparison.Ordinal) + "/api/status";
            foreach (string status in new[] { apiUrl + "api/status", otherwiseEscaped })
            {
                int code = await page.EvaluateAsync<int>("async (path) => (await fetch(path)).status", status);
                Assert.True(code == 200, $"GET {status} through the gateway answered {code}");
            }
        }
        finally
        {
            await hub.Lifecycle.RequestStopAsync(new ServerKey(user, ""));
        }
    }
}
