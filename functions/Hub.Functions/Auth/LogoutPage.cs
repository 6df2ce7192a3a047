using System.Text.Encodings.Web;
using Hub.Functions.Pages;

namespace Hub.Functions.Auth;

/// <summary>The page that asks before logging out, for a logout another site asked for: one button, a POST with <c>_xsrf</c>.</summary>
public static class LogoutPage
{
    public static IResult Confirm(string xsrfToken, int statusCode)
    {
        string body = $"""
            <section class="card narrow">
            <h1>Log out?</h1>
            <p>Another page asked to log you out of the hub. Log out only if you meant to.</p>
            <form method="post" action="/hub/logout">
              <input type="hidden" name="_xsrf" value="{HtmlEncoder.Default.Encode(xsrfToken)}">
              <p><button type="submit" class="primary">Log out</button> <a class="button" href="/hub/home">Stay signed in</a></p>
            </form>
            </section>
            """;
        return PageLayout.Render("Log out?", body, statusCode, signedIn: true);
    }
}
