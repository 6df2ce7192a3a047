namespace Hub.Functions.Pages;

/// <summary>The headers every page and static file carries: a strict Content-Security-Policy (no inline script or style, nothing from other origins) and no sniffing.</summary>
public static class PageHeaders
{
    /// <summary>Only this origin's scripts, styles, images and connections; no framing by other sites; forms post here only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>Headers of a page: never stored (it reflects who is logged in), never framed.</summary>
    public static void ForPage(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        Common(response);
    }

    /// <summary>
    /// Headers of a static file: cached, but revalidated on every use (<c>no-cache</c> with an ETag, answered by 304),
    /// so a new deployment's scripts are picked up at once without versioned file names.
    /// </summary>
    public static void ForStaticFile(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache";
        Common(response);
    }

    private static void Common(HttpResponse response)
    {
        response.Headers["Content-Security-Policy"] = ContentSecurityPolicy;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
    }
}
