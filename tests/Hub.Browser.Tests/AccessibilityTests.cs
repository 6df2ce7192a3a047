using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>Every page on a phone-sized screen: nothing wider than the screen, every control named; and signing in by keyboard alone.</summary>
[Collection(HubStackCollection.Name)]
public sealed class AccessibilityTests(HubStack hub)
{
    /// <summary>Visible form controls without an accessible name (label, aria-label or text), and how far the page overflows the screen.</summary>
    private const string AuditScript = """
        () => {
          const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
          const unnamed = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
            .filter(visible)
            .filter((e) => !((e.labels && e.labels.length) || e.getAttribute('aria-label') || e.textContent.trim()))
            .map((e) => e.outerHTML.slice(0, 80));
          return { unnamed, overflow: document.documentElement.scrollWidth - window.innerWidth };
        }
        """;

    [Fact]
    public async Task Pages_OnAPhoneSizedScreen_FitAndNameEveryControl()
    {
        await using var context = await hub.NewContextAsync(width: 390, height: 844);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/hub/login");
        var findings = new List<string>();
        await AuditAsync(page, "login", findings);
        await PageSteps.SignInAsync(page, HubStack.Admin);
        await page.WaitForURLAsync(new Regex("/hub/home$"));

        await Expect(page.Locator("#state")).ToHaveTextAsync("stopped");
        await AuditAsync(page, "home", findings);
        await page.GotoAsync("/hub/token");
        await Expect(page.Locator("#tokens-empty")).ToBeVisibleAsync();
        await AuditAsync(page, "token", findings);
        await page.GotoAsync("/hub/admin");
        await Expect(page.Locator("#rows tr").First).ToBeVisibleAsync();
        await AuditAsync(page, "admin", findings);
        await page.GotoAsync("/hub/spawn-pending/" + HubStack.Admin);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start server" })).ToBeVisibleAsync();
        await AuditAsync(page, "server", findings);

        Assert.Empty(findings);
    }

    [Fact]
    public async Task Login_ByKeyboardAlone_ReachesHome()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/hub/login");

        await Expect(page.GetByLabel("User name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("keys");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("secret");
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(new Regex("/hub/home$"));
        await Expect(page.Locator("#who")).ToHaveTextAsync("keys");
    }

    private static async Task AuditAsync(IPage page, string name, List<string> findings)
    {
        await HubStack.ScreenshotAsync(page, "phone-" + name);
        var audit = await page.EvaluateAsync<System.Text.Json.JsonElement>(AuditScript);
        findings.AddRange(audit.GetProperty("unnamed").EnumerateArray().Select(control => $"{name}: unnamed control {control.GetString()}"));
        int overflow = audit.GetProperty("overflow").GetInt32();
        if (overflow > 0)
        {
            findings.Add($"{name}: {overflow}px wider than the screen");
        }
    }
}
