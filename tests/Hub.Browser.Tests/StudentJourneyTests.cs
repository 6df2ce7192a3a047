using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Hub.Core.Store;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>A student's whole visit, through the gateway: log in, start, watch the progress, work in Jupyter, stop, log out.</summary>
[Collection(HubStackCollection.Name)]
public sealed class StudentJourneyTests(HubStack hub)
{
    [Fact]
    public async Task Student_StartsServerRunsACellStopsAndLogsOut_EveryStepWorksInTheBrowser()
    {
        const string student = "ada";
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/hub/home");
        await page.WaitForURLAsync(new Regex(@"/hub/login\?next=%2Fhub%2Fhome$"));
        await HubStack.ScreenshotAsync(page, "login");
        await PageSteps.SignInAsync(page, student);
        await page.WaitForURLAsync(new Regex("/hub/home$"));
        await Expect(page.Locator("#state")).ToHaveTextAsync("stopped");
        await Expect(page.GetByLabel("Profile")).ToHaveValueAsync("standard");
        await HubStack.ScreenshotAsync(page, "home-stopped");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start my server" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/hub/spawn-pending/{student}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Starting your server" })).ToBeVisibleAsync();
        await Expect(page.Locator("#log li").First).ToBeVisibleAsync();
        await HubStack.ScreenshotAsync(page, "spawn-pending");
        double shownProgress = double.Parse(await page.Locator("#bar").GetAttributeAsync("value") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        // Straight into Jupyter's own page once the server is ready.
        await page.WaitForURLAsync(new Regex($"^{hub.Origin}/user/{student}/tree"), new() { Timeout = 90_000 });
        await Expect(page.Locator("#notebook_list")).ToBeVisibleAsync();
        await HubStack.ScreenshotAsync(page, "jupyter-tree");

        var notebook = await context.RunAndWaitForPageAsync(async () =>
        {
            await page.Locator("#new-dropdown-button").ClickAsync();
            await page.Locator("#kernel-python3 a").ClickAsync();
        });
        await notebook.WaitForURLAsync(new Regex($"^{hub.Origin}/user/{student}/notebooks/Untitled.*\\.ipynb"));
        await Expect(notebook.Locator("#kernel_indicator_icon.kernel_idle_icon")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await notebook.Locator(".cell .CodeMirror").First.ClickAsync();
        await notebook.Keyboard.TypeAsync("6*7");
        await notebook.Keyboard.PressAsync("Shift+Enter");
        await Expect(notebook.Locator(".output_result").First).ToContainTextAsync("42", new() { Timeout = 60_000 });
        await HubStack.ScreenshotAsync(notebook, "jupyter-notebook");
        await notebook.CloseAsync();

        await page.GotoAsync("/hub/home");
        await Expect(page.Locator("#state")).ToHaveTextAsync("running");
        await HubStack.ScreenshotAsync(page, "home-running");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop my server" }).ClickAsync();
        await Expect(page.Locator("#state")).ToHaveTextAsync("stopped", new() { Timeout = 60_000 });
        var record = await hub.ServerAsync(student);

        await page.GetByRole(AriaRole.Link, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/hub/login$"));
        await page.GotoAsync("/hub/home");
        await page.WaitForURLAsync(new Regex(@"/hub/login\?next="));

        Assert.InRange(shownProgress, 1, 100);
        Assert.NotNull(record);
        Assert.Equal(ServerDesiredState.Stopped, record.Desired);
        Assert.Equal(ServerPhase.Stopped, record.Phase);
    }

    [Fact]
    public async Task NamedServer_AddedFromHome_StartsOpensStopsAndIsRemoved()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await PageSteps.SignInToHomeAsync(page, "noether");

        await page.GetByLabel("New server name").FillAsync("project");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add and start" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/hub/spawn-pending/noether/project$"));
        await page.WaitForURLAsync(new Regex($"^{hub.Origin}/user/noether/project/tree"), new() { Timeout = 90_000 });

        await page.GotoAsync("/hub/home");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "project" });
        await Expect(row.Locator(".state")).ToHaveTextAsync("running");
        await Expect(page.Locator("#state")).ToHaveTextAsync("stopped");
        await HubStack.ScreenshotAsync(page, "home-named-server");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop server project" }).ClickAsync();
        await Expect(row.Locator(".state")).ToHaveTextAsync("stopped", new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove server project" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Server removed.", new() { Timeout = 30_000 });
        await Expect(page.Locator("#named-empty")).ToBeVisibleAsync();

        Assert.Null(await hub.Store.Servers.GetAsync(new ServerKey("noether", "project")));
    }
}
