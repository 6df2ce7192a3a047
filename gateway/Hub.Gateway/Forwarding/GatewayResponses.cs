using System.Net;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Answers the gateway sends itself: errors as <c>application/problem+json</c> (APIs, scripts) or a small HTML page
/// (browsers asking for HTML), and redirects to same-origin paths only.
/// </summary>
public static class GatewayResponses
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="retryAfterSeconds">
    /// For a passing condition (the store or the control plane not answering): sent as <c>Retry-After</c>, and the page
    /// tries again by itself after that many seconds.
    /// </param>
    public static async Task ErrorAsync(HttpContext context, int status, string title, string detail, string reason, int? retryAfterSeconds = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        if (retryAfterSeconds is { } retry)
        {
            response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (WantsHtml(context.Request))
        {
            response.ContentType = "text/html; charset=utf-8";
            string refresh = retryAfterSeconds is { } seconds ? $"<meta http-equiv=\"refresh\" content=\"{seconds}\">" : "";
            string again = retryAfterSeconds is { } every ? $"<p>This page tries again by itself in {every} seconds.</p>" : "";
            string page = $"""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">{refresh}<title>{status} {Encode(title)}</title></head>
                <body><h1>{Encode(title)}</h1><p>{Encode(detail)}</p>{again}<p><a href="/hub/home">Go to the hub's home page</a></p></body></html>
                """;
            await response.WriteAsync(page, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(response.Body, new Problem($"urn:serverless-hub:gateway:{reason}", title, status, detail), Json, context.RequestAborted)
            .ConfigureAwait(false);
    }

    /// <summary>The seconds a client is asked to wait after a passing failure (store or control plane not answering).</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>A redirect to <paramref name="path"/>, which must be a path on this site (one leading slash).</summary>
    /// <param name="preserveMethod">307 instead of 302, so that a POST stays a POST.</param>
    public static void Redirect(HttpContext context, string path, bool preserveMethod)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.StartsWith("/\\", StringComparison.Ordinal))
        {
            throw new ArgumentException("Only same-site paths are redirect targets.", nameof(path));
        }
        context.Response.StatusCode = preserveMethod ? StatusCodes.Status307TemporaryRedirect : StatusCodes.Status302Found;
        context.Response.Headers.Location = path;
        context.Response.Headers.CacheControl = "no-store";
    }

    /// <summary>A browser navigating (Accept includes text/html) to a non-API path gets pages; everything else problem+json.</summary>
    public static bool WantsHtml(HttpRequest request) =>
        request.Headers[HeaderNames.Accept].ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
        && !(request.Path.Value ?? "").Contains("/api/", StringComparison.Ordinal);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private sealed record Problem(string Type, string Title, int Status, string Detail);
}
