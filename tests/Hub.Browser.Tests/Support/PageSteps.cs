using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Browser.Tests.Support;

/// <summary>Steps many tests share, done the way a person does them: through the visible form fields and buttons.</summary>
public static class PageSteps
{
    /// <summary>Fills in and submits the login form (the dummy authenticator takes any password).</summary>
    public static async Task SignInAsync(IPage page, string name)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync("any password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Opens the login page, signs in and waits for the home page.</summary>
    public static async Task SignInToHomeAsync(IPage page, string name)
    {
        await page.GotoAsync("/hub/login");
        await SignInAsync(page, name);
        await page.WaitForURLAsync(new Regex("/hub/home$"));
        await Expect(page.Locator("#who")).ToHaveTextAsync(name);
    }
}
