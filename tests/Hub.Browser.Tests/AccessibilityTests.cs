using System.Text.RegularExpressions;
using Hub.Browser.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests;

/// <summary>Every page on a phone-sized screen: nothing wider than the screen, every control named, text in AA contrast; and signing in by keyboard alone.</summary>
[Collection(HubStackCollection.Name)]
public sealed class AccessibilityTests(HubStack hub)
{
    /// <summary>
    /// Visible form controls without an accessible name (label, aria-label or text); text below WCAG AA contrast
    /// (4.5:1) against the background it is drawn on (disabled controls are exempt, as in WCAG); and how far the page
    /// overflows the screen.
    /// </summary>
    private const string AuditScript = """
        () => {
          const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
          const unnamed = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
            .filter(visible)
            .filter((e) => !((e.labels && e.labels.length) || e.getAttribute('aria-label') || e.textContent.trim()))
            .map((e) => e.outerHTML.slice(0, 80));
          const rgb = (c) => c.match(/[\d.]+/g).map(Number);
          const luminance = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = (e) => {
            for (; e; e = e.parentElement) {
              const c = rgb(getComputedStyle(e).backgroundColor);
              if (c.length < 4 || c[3] > 0) return c;
            }
            return [255, 255, 255];
          };
          const lowContrast = [...document.querySelectorAll('body *')]
            .filter((e) => visible(e) && !e.closest(':disabled') && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
            .map((e) => {
              const a = luminance(rgb(getComputedStyle(e).color)), b = luminance(background(e));
              return { text: e.textContent.trim().slice(0, 40), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
            })
            .filter((c) => c.ratio < 4.5)
            .map((c) => `${c.text} (${c.ratio.toFixed(2)}:1)`);
          return { unnamed, lowContrast, overflow: document.documentElement.scrollWidth - window.innerWidth };
        }
        """;

    [Fact]
    public async Task Pages_OnAPhoneSizedScreen_FitNameEveryControlAndKeepContrast()
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
        findings.AddRange(audit.GetProperty("lowContrast").EnumerateArray().Select(text => $"{name}: low contrast {text.GetString()}"));
        int overflow = audit.GetProperty("overflow").GetInt32();
        if (overflow > 0)
        {
            findings.Add($"{name}: {overflow}px wider than the screen");
        }
    }
}
