using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Hub.Core.Spawning;
using Hub.Core.Spawning.LocalProcess;
using Hub.Core.Store;
using Hub.Core.Usage;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>
/// What a student reads about their quota, in Chromium: a refused start says in words what was used, the limit and
/// when it resets; a running server near the cap is warned about on their pages, then stopped at the cap by the cull
/// run with their files kept. And what an admin reads about homes: sizes, nearly full ones marked and sorted first.
/// </summary>
[Collection(HubStackCollection.Name)]
public sealed class UsageNoticeTests(HubStack hub)
{
    /// <summary>The caps <see cref="HubStack"/> sets (server-hours per term): tiny, so that seeded usage reaches them.</summary>
    public const string QuotaRules = "nora=1,otto=0.5";

    [Fact]
    public async Task StartOverQuota_IsRefusedInWordsOnTheStartPage_UsedLimitAndReset()
    {
        await SeedRunAsync("otto", TimeSpan.FromHours(1));
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, "otto");
        await Expect(page.Locator("#usage")).ToContainTextAsync("You have used all 0.5 server-hours of your quota for this period (term)");

        await page.GotoAsync("/hub/spawn/otto");
        await page.WaitForURLAsync(new Regex("/hub/spawn-pending/otto$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Start server" }).ClickAsync();

        await Expect(page.Locator("#reason")).ToContainTextAsync(new Regex(@"You have used 1 of your 0\.5 server-hours for this period; you can start a server again after the quota resets at \S+"));
        await Expect(page.Locator("#usage")).ToContainTextAsync("You can start a server again after it resets on");
        await HubStack.ScreenshotAsync(page, "quota-refused");
        Assert.Null(await hub.ServerAsync("otto"));
    }

    [Fact]
    public async Task RunningServerNearTheCap_IsWarnedAbout_ThenStoppedAtTheCap_FilesKept()
    {
        // 0.9 of 1 server-hour used: the cap is about 6 minutes away, inside the 10 minutes' warning.
        await SeedRunAsync("nora", TimeSpan.FromHours(0.9));
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, "nora");
        await Expect(page.Locator("#usage")).ToContainTextAsync("you have used 0.9 of 1 server-hours");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start my server" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"^{hub.Origin}/user/nora/"), new() { Timeout = 90_000 });
        string notebook = Path.Combine(((LocalProcessSpawner)hub.ControlPlane.GetRequiredService<ISpawner>()).HomeOf("nora"), "essay.ipynb");
        await File.WriteAllTextAsync(notebook, "{}");

        await page.GotoAsync("/hub/home");
        await Expect(page.Locator("#state")).ToHaveTextAsync("running");
        await Expect(page.Locator("#usage")).ToContainTextAsync(new Regex(@"Your running server will be stopped in about \d+ minutes? when you reach your quota\. Save your work; your files are kept\."));
        await Expect(page.Locator("#usage")).ToHaveAttributeAsync("role", "alert");
        await HubStack.ScreenshotAsync(page, "quota-warning");

        // Another run of the term, recorded elsewhere, takes nora past the cap; the next cull run stops the server.
        await SeedRunAsync("nora", TimeSpan.FromHours(0.2), server: "earlier");
        await hub.RunTimerAsync("cull-idle");
        await Eventually.UntilAsync(async () => (await hub.ServerAsync("nora"))?.Phase == ServerPhase.Stopped, TimeSpan.FromSeconds(60), "nora's server to be stopped at the cap");
        await page.ReloadAsync();

        await Expect(page.Locator("#state")).ToHaveTextAsync("stopped");
        await Expect(page.Locator("#usage")).ToContainTextAsync("You have used all 1 server-hours of your quota");
        await HubStack.ScreenshotAsync(page, "quota-stopped");
        Assert.True(File.Exists(notebook), "the student's files must stay");
    }

    [Fact]
    public async Task AdminPage_ShowsHomeSizes_NearlyFullMarked_AndSortedFullestFirst()
    {
        // Figures as the cull run stores them (an Azure Files share's statistics, a local folder's size).
        await StoreHomeAsync("quinn", new HomeStorageUse(9_700_000_000, 10L << 30));
        await StoreHomeAsync("rosa", new HomeStorageUse(1_200_000_000, 10L << 30));
        await StoreHomeAsync("sami", new HomeStorageUse(25_000_000, null));
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, HubStack.Admin);
        await page.GotoAsync("/hub/admin");

        var quinn = page.Locator("#usage-user-rows tr[data-user='quinn'] td[data-label='Home']");
        await Expect(quinn).ToHaveTextAsync("9.0 GiB of 10.0 GiB (nearly full)");
        await Expect(quinn.Locator("strong.error")).ToBeVisibleAsync();
        await Expect(page.Locator("#usage-user-rows tr[data-user='rosa'] td[data-label='Home']")).ToHaveTextAsync("1.1 GiB of 10.0 GiB");
        await Expect(page.Locator("#usage-user-rows tr[data-user='sami'] td[data-label='Home']")).ToHaveTextAsync("23.8 MiB");
        await page.GetByLabel("Sort users by").SelectOptionAsync("home");
        var order = await page.Locator("#usage-user-rows tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.user)");
        await HubStack.ScreenshotAsync(page, "admin-home-sizes");

        Assert.Equal(["quinn", "rosa"], order.Take(2));
        Assert.True(Array.IndexOf(order, "sami") > 1, string.Join(",", order));
    }

    private Task SeedRunAsync(string user, TimeSpan length, string server = "")
    {
        var ended = DateTimeOffset.UtcNow.AddMinutes(-1);
        return hub.Store.Usage.UpsertAsync(new UsageRecord { User = user, Server = server, Started = ended - length, Ended = ended, Cpu = 1, MemoryInGb = 2 });
    }

    private async Task StoreHomeAsync(string user, HomeStorageUse use)
    {
        await hub.Store.Users.CreateAsync(new UserRecord { Name = user, Created = DateTimeOffset.UtcNow });
        await hub.Store.Users.ChangeAsync(user, u => u with { Home = use, HomeMeasured = DateTimeOffset.UtcNow });
    }
}
