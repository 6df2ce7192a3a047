using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>The server page: a start that fails shows why and offers a retry; a user-redirect link lands on its path once the server runs.</summary>
[Collection(HubStackCollection.Name)]
public sealed class ServerPageTests(HubStack hub)
{
    [Fact]
    public async Task FailingStart_ShowsTheReasonAndARetryButton()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, "grace");

        await page.GetByLabel("Profile").SelectOptionAsync(HubStack.BrokenProfile);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start my server" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/hub/spawn-pending/grace$"));
        var reason = page.GetByRole(AriaRole.Alert);
        await Expect(reason).ToContainTextAsync("Spawn failed", new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Try again" })).ToBeFocusedAsync();
        await HubStack.ScreenshotAsync(page, "spawn-failed");

        // Coming back later still tells why, instead of a bare "not running".
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Spawn failed");
        var record = await hub.ServerAsync("grace");
        Assert.NotNull(record?.Failure);
    }

    [Fact]
    public async Task Start_WhileAnotherStartHoldsTheOnlySlot_ShowsTheQueuePositionThenEnters()
    {
        await hub.Store.Users.CreateAsync(new UserRecord { Name = "first", Created = DateTimeOffset.UtcNow });
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, "second");

        await hub.Lifecycle.RequestStartAsync(new ServerKey("first", ""), StartOptions.Default);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start my server" }).ClickAsync();
        await Expect(page.Locator("#queue")).ToHaveTextAsync("Number 1 in the queue", new() { Timeout = 30_000 });
        await HubStack.ScreenshotAsync(page, "spawn-queued");

        await page.WaitForURLAsync(new Regex("^" + hub.Origin + "/user/second/tree"), new() { Timeout = 90_000 });
        var first = await hub.ServerAsync("first");
        Assert.Equal(ServerPhase.Running, first!.Phase);
    }

    [Fact]
    public async Task UserRedirectLink_BeforeLoginAndWithTheServerStopped_LandsOnItsPathOnceStarted()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/hub/user-redirect/tree?course=ml101");
        await page.WaitForURLAsync(new Regex(@"/hub/login\?next="));
        await PageSteps.SignInAsync(page, "linus");
        await page.WaitForURLAsync(new Regex("^" + hub.Origin + @"/hub/user/linus/tree\?course=ml101$"));
        await Expect(page.GetByText("is not running. Start it to open /user/linus/tree?course=ml101")).ToBeVisibleAsync();
        await HubStack.ScreenshotAsync(page, "server-not-running");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start server" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("^" + hub.Origin + @"/user/linus/tree\?course=ml101$"), new() { Timeout = 90_000 });
        await Expect(page.Locator("#notebook_list")).ToBeVisibleAsync();
        await HubStack.ScreenshotAsync(page, "user-redirect-landed");

        // Once it runs, the same link goes straight through.
        await page.GotoAsync("/hub/user-redirect/tree?again=1");
        await page.WaitForURLAsync(new Regex("^" + hub.Origin + @"/user/linus/tree\?again=1$"));
    }

    [Theory]
    [InlineData("hedy", "/hub/spawn-pending/hedy?next=/%09/evil.example/x")]
    [InlineData("ida", "/hub/spawn-pending/ida?next=%2F%0A%2Fevil.example%2Fx")]
    [InlineData("joan", "/hub/spawn?next=/%09/evil.example/x")]
    [InlineData("kay", "/hub/spawn-pending/kay?next=/\\evil.example/x")]
    public async Task NextThatABrowserReadsAsAnotherSite_IsDropped_AndTheServerOpensInstead(string user, string url)
    {
        await using var context = await hub.NewContextAsync();
        var offSite = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host != hub.Address.Host)
            {
                offSite.Add(route.Request.Url);
                await route.AbortAsync();
                return;
            }
            await route.ContinueAsync();
        });
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, user);
        await hub.Lifecycle.RequestStartAsync(new ServerKey(user, ""), StartOptions.Default);

        await page.GotoAsync(url);
        await page.WaitForURLAsync(new Regex("^" + hub.Origin + $"/user/{user}/tree"), new() { Timeout = 90_000 });

        Assert.Empty(offSite);
        await hub.Lifecycle.RequestStopAsync(new ServerKey(user, ""));
    }
}
