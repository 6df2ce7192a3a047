using System.Text.Encodings.Web;

namespace Hub.Functions.Pages;

/// <summary>The frame of the server-rendered pages (login, messages): the same stylesheet and header as the pages in <c>web/pages</c>.</summary>
public static class PageLayout
{
    /// <summary>A complete page around <paramref name="mainHtml"/> (already encoded by the caller).</summary>
    public static IResult Render(string title, string mainHtml, int statusCode, bool signedIn = false)
    {
        var html = HtmlEncoder.Default;
        string nav = signedIn
            ? """<nav aria-label="Hub"><a href="/hub/home">Home</a> <a href="/hub/logout">Log out</a></nav>"""
            : "";
        return Results.Content($"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{html.Encode(title)} - Serverless Hub</title>
            <link rel="stylesheet" href="/hub/static/css/hub.css"></head>
            <body>
            <header class="top"><a class="brand" href="/hub/home">Serverless Hub</a>{nav}</header>
            <main id="main">
            {mainHtml}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);
    }

    /// <summary>A page with a title, one message and a link onwards.</summary>
    public static IResult Message(string title, string message, int statusCode, string linkHref = "/hub/home", string linkText = "Home", bool signedIn = true)
    {
        var html = HtmlEncoder.Default;
        return Render(title, $"""
            <h1>{html.Encode(title)}</h1>
            <p role="alert" class="error">{html.Encode(message)}</p>
            <p><a href="{html.Encode(linkHref)}">{html.Encode(linkText)}</a></p>
            """, statusCode, signedIn);
    }
}
