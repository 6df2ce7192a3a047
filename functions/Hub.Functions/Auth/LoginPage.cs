using System.Text.Encodings.Web;

namespace Hub.Functions.Auth;

/// <summary>
/// The server-rendered login page: a plain, accessible form (labels, autocomplete hints, an alert region for
/// errors) or a "Sign in with …" link for OpenID Connect. Every inserted string is HTML-encoded. The pages issue
/// restyles it; the fields (<c>username</c>, <c>password</c>, <c>_xsrf</c>) are what hubtraf and scripts post.
/// </summary>
public static class LoginPage
{
    public static IResult Form(string xsrfToken, string? next, string? error, int statusCode = StatusCodes.Status200OK, string? userName = null)
    {
        var html = HtmlEncoder.Default;
        string action = "/hub/login" + (next is null ? "" : "?next=" + UrlEncoder.Default.Encode(next));
        string alert = error is null ? "" : $"""<p role="alert" class="error">{html.Encode(error)}</p>""";
        string body = $"""
            <main>
            <h1>Sign in</h1>
            {alert}
            <form method="post" action="{html.Encode(action)}">
              <input type="hidden" name="_xsrf" value="{html.Encode(xsrfToken)}">
              <p><label for="username">User name</label><br>
              <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" required maxlength="256" value="{html.Encode(userName ?? "")}" autofocus></p>
              <p><label for="password">Password</label><br>
              <input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024"></p>
              <p><button type="submit">Sign in</button></p>
            </form>
            </main>
            """;
        return Page("Sign in", body, statusCode);
    }

    public static IResult SignInWith(string providerName, string? next, string? error, int statusCode = StatusCodes.Status200OK)
    {
        var html = HtmlEncoder.Default;
        string href = "/hub/oauth_login" + (next is null ? "" : "?next=" + UrlEncoder.Default.Encode(next));
        string alert = error is null ? "" : $"""<p role="alert" class="error">{html.Encode(error)}</p>""";
        string body = $"""
            <main>
            <h1>Sign in</h1>
            {alert}
            <p><a class="button" href="{html.Encode(href)}">Sign in with {html.Encode(providerName)}</a></p>
            </main>
            """;
        return Page("Sign in", body, statusCode);
    }

    public static IResult Message(string title, string message, int statusCode) =>
        Page(title, $"""<main><h1>{HtmlEncoder.Default.Encode(title)}</h1><p role="alert">{HtmlEncoder.Default.Encode(message)}</p><p><a href="/hub/login">Sign in</a></p></main>""", statusCode);

    private static IResult Page(string title, string body, int statusCode) =>
        Results.Content($"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{HtmlEncoder.Default.Encode(title)} - Serverless Hub</title></head>
            <body>
            {body}
            </body>
            </html>
            """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);
}
