using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>The admin page: an admin stops a student's server, adds users, makes one an admin; students are kept out.</summary>
[Collection(HubStackCollection.Name)]
public sealed class AdminPageTests(HubStack hub)
{
    [Fact]
    public async Task Admin_StopsAStudentsRunningServer()
    {
        await hub.Store.Users.CreateAsync(new UserRecord { Name = "barbara", Created = DateTimeOffset.UtcNow });
        var server = new ServerKey("barbara", "");
        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        await Eventually.UntilAsync(async () => (await hub.ServerAsync("barbara"))?.Phase == ServerPhase.Running, TimeSpan.FromSeconds(90), "barbara's server to run");
        // Earlier runs: three and a half hours.
        await hub.Store.Servers.ChangeAsync(server, r => r with { UsedSeconds = 12_600 });

        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, HubStack.Admin);
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/hub/admin$"));
        await page.GetByLabel("Search by name").FillAsync("barb");
        var row = page.Locator("tr[data-user='barbara']");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(1);
        await Expect(row.Locator(".state")).ToHaveTextAsync("running");
        await Expect(row.Locator("td[data-label='Server-hours']")).ToHaveTextAsync(new Regex(@"^3\.[56] \(0\.[01] now\)$"));
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Server-hours" })).ToBeVisibleAsync();
        await HubStack.ScreenshotAsync(page, "admin");

        await row.GetByRole(AriaRole.Button, new() { Name = "Stop server of barbara" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Stopped the server of barbara.", new() { Timeout = 60_000 });
        await Eventually.UntilAsync(async () => (await hub.ServerAsync("barbara"))?.Phase == ServerPhase.Stopped, TimeSpan.FromSeconds(60), "barbara's server to stop");
        await page.ReloadAsync();
        await page.GetByLabel("Search by name").FillAsync("barbara");
        await Expect(page.Locator("tr[data-user='barbara'] .state")).ToHaveTextAsync("stopped");
        // The run just ended is counted with the earlier ones.
        await Expect(page.Locator("tr[data-user='barbara'] td[data-label='Server-hours']")).ToHaveTextAsync(new Regex(@"^3\.[56]$"));

        var record = await hub.ServerAsync("barbara");
        Assert.Equal(ServerDesiredState.Stopped, record!.Desired);
        Assert.InRange(record.UsedSeconds, 12_600, 12_600 + 300);
        Assert.Null(record.Started);
    }

    [Fact]
    public async Task Admin_AddsUsersAndMakesOneAnAdmin_TheStoreHasThem()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, HubStack.Admin);
        await page.GotoAsync("/hub/admin");

        await page.GetByLabel("User names (one per line, or separated by commas)").FillAsync("class-a1\nclass-a2, class-a3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add users" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Added 3 users.");
        await page.GetByLabel("Search by name").FillAsync("class-a");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Make admin class-a2" }).ClickAsync();
        await Expect(page.Locator("tr[data-user='class-a2'] td[data-label='Admin']")).ToHaveTextAsync("admin");

        // Sorting by name, descending, from the column header.
        await page.GetByRole(AriaRole.Button, new() { Name = "Name" }).ClickAsync();
        await Expect(page.Locator("th[data-sort='name']")).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(page.Locator("#rows tr").First).ToHaveAttributeAsync("data-user", "class-a3");

        var promoted = await hub.Store.Users.GetAsync("class-a2");
        var other = await hub.Store.Users.GetAsync("class-a1");
        Assert.True(promoted!.Admin);
        Assert.False(other!.Admin);
    }

    [Fact]
    public async Task Admin_MakesAClassAndStartsAndStopsIt_OnlyItsServersAreRequested()
    {
        string[] members = ["class-x1", "class-x2", "class-x3"];
        // Someone outside the class, with a similar name: the bulk actions must pass them by.
        await hub.Store.Users.CreateAsync(new UserRecord { Name = "class-y1", Created = DateTimeOffset.UtcNow });
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.AcceptAsync();
        };
        await PageSteps.SignInToHomeAsync(page, HubStack.Admin);
        await page.GotoAsync("/hub/admin");

        await page.GetByLabel("User names (one per line, or separated by commas)").FillAsync(string.Join("\n", members));
        await page.GetByLabel("Add to group").FillAsync("class-x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add users" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Added 3 users to class-x.");
        await page.GetByLabel("Class (group)").SelectOptionAsync("class-x");
        await Expect(page.Locator("#rows tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#all-count")).ToHaveTextAsync("3");
        await HubStack.ScreenshotAsync(page, "admin-class");

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop all matching" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Stopping 3 servers: done.", new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Start all 3 matching" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Starting 3 servers: done.", new() { Timeout = 120_000 });

        Assert.Equal(["Stop the servers of all 3 matching users in class-x?", "Start the servers of all 3 matching users in class-x?"], dialogs);
        var requested = new List<string>();
        await foreach (var server in hub.Store.Servers.ListAsync())
        {
            if (server.Desired == ServerDesiredState.Running && server.User.StartsWith("class-", StringComparison.Ordinal))
            {
                requested.Add(server.User);
            }
        }
        Assert.Equal(members, requested.Order(StringComparer.Ordinal));
        foreach (var member in members)
        {
            Assert.Equal(["class-x"], (await hub.Store.Users.GetAsync(member))!.Groups);
        }

        // And the whole class stops again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop all matching" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Stopping 3 servers: done.", new() { Timeout = 120_000 });
        foreach (var member in members)
        {
            Assert.Equal(ServerDesiredState.Stopped, (await hub.ServerAsync(member))!.Desired);
        }
    }

    [Fact]
    public async Task Student_OpensAdminPage_IsTurnedAway()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, "pupil");

        var response = await page.GotoAsync("/hub/admin");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admins only" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToBeHiddenAsync();
    }
}
