using System.Text.Encodings.Web;
using Hub.Functions.Pages;

namespace Hub.Functions.Auth;

/// <summary>
/// The server-rendered login page, in the pages' frame (<see cref="PageLayout"/>): an accessible form (labels,
/// autocomplete hints, an alert region for errors) or a "Sign in with …" button for OpenID Connect. Every inserted
/// string is HTML-encoded. It needs no script, so it works before anything else has loaded. The fields
/// (<c>username</c>, <c>password</c>, <c>_xsrf</c>) are what hubtraf and scripts post.
/// </summary>
public static class LoginPage
{
    public static IResult Form(string xsrfToken, string? next, string? error, int statusCode = StatusCodes.Status200OK, string? userName = null)
    {
        var html = HtmlEncoder.Default;
        string action = "/hub/login" + (next is null ? "" : "?next=" + UrlEncoder.Default.Encode(next));
        string body = $"""
            <section class="card narrow">
            <h1>Sign in</h1>
            {Alert(error)}
            <form method="post" action="{html.Encode(action)}">
              <input type="hidden" name="_xsrf" value="{html.Encode(xsrfToken)}">
              <p class="field"><label for="username">User name</label>
              <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="256" value="{html.Encode(userName ?? "")}" autofocus></p>
              <p class="field"><label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024"></p>
              <p><button type="submit" class="primary">Sign in</button></p>
            </form>
            </section>
            """;
        return PageLayout.Render("Sign in", body, statusCode);
    }

    public static IResult SignInWith(string providerName, string? next, string? error, int statusCode = StatusCodes.Status200OK)
    {
        var html = HtmlEncoder.Default;
        string href = "/hub/oauth_login" + (next is null ? "" : "?next=" + UrlEncoder.Default.Encode(next));
        string body = $"""
            <section class="card narrow">
            <h1>Sign in</h1>
            {Alert(error)}
            <p><a class="button primary" href="{html.Encode(href)}">Sign in with {html.Encode(providerName)}</a></p>
            </section>
            """;
        return PageLayout.Render("Sign in", body, statusCode);
    }

    public static IResult Message(string title, string message, int statusCode) =>
        PageLayout.Message(title, message, statusCode, "/hub/login", "Sign in", signedIn: false);

    private static string Alert(string? error) =>
        error is null ? "" : $"""<p role="alert" class="error">{HtmlEncoder.Default.Encode(error)}</p>""";
}
