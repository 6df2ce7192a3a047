using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>The token page: a token made there works against the API with its scopes, and revoking it there ends it.</summary>
[Collection(HubStackCollection.Name)]
public sealed class TokenPageTests(HubStack hub)
{
    [Fact]
    public async Task Token_CreatedWithAScopeThenRevoked_WorksUntilRevoked()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, "tess");
        await page.GetByRole(AriaRole.Link, new() { Name = "Token" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/hub/token$"));

        await page.GetByLabel("Note (what the token is for)").FillAsync("grading script");
        await page.GetByLabel("Everything I can do (inherit)").UncheckAsync();
        await page.GetByLabel("Read my servers' state (read:servers)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Request new API token" }).ClickAsync();
        var secret = page.Locator("#new-token");
        await Expect(secret).Not.ToBeEmptyAsync();
        string token = await secret.TextContentAsync() ?? "";
        var row = page.Locator("#token-rows tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td[data-label='Scopes']")).ToContainTextAsync("read:servers!user=tess");
        await HubStack.ScreenshotAsync(page, "token");

        using var client = new HttpClient { BaseAddress = hub.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        var readBefore = await client.GetAsync("/hub/api/users/tess");
        var startRefused = await client.PostAsync("/hub/api/users/tess/server", null);

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke token grading script" }).ClickAsync();
        await Expect(page.Locator("#tokens-empty")).ToBeVisibleAsync();
        var readAfter = await client.GetAsync("/hub/api/users/tess");

        Assert.Equal(200, (int)readBefore.StatusCode);
        Assert.Equal(403, (int)startRefused.StatusCode);
        Assert.Equal(403, (int)readAfter.StatusCode);
    }
}
