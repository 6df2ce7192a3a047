using System.Globalization;
using System.Net;
using Hub.Azure.Store;
using Hub.Azure.Tables;
using Hub.Functions.Api;
using Hub.Functions.Logging;
using Microsoft.Net.Http.Headers;

namespace Hub.Functions.Hosting;

/// <summary>
/// The one place where a store that is unavailable becomes an answer: every <c>/hub/…</c> request runs within a
/// <see cref="StoreDeadline"/> (each store call at most <see cref="StorageOptions.RequestTimeout"/>, less a margin for the answer: <see cref="CallBudget"/>), and a request the store failed (no answer
/// in time, throttled, down) gets 503 with <c>Retry-After</c>: problem+json for APIs and scripts, and for browsers a
/// page that says so in words and tries again by itself. Progress streams (server-sent events that last a whole
/// start) are not held to the deadline.
/// </summary>
public sealed class StoreDeadlineMiddleware(RequestDelegate next, StorageOptions options, ILogger<StoreDeadlineMiddleware> logger)
{
    /// <summary>The seconds a client is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/hub/", StringComparison.Ordinal) || path.EndsWith("/progress", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }
        using var deadline = StoreDeadline.Begin(CallBudget(options.RequestTimeout));
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && StoreFailures.IsUnavailable(ex, context.RequestAborted.IsCancellationRequested))
        {
            Log.StoreUnavailable(logger, context.Request.Method, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched", ex.GetType().Name);
            await UnavailableAsync(context);
        }
    }

    /// <summary>
    /// A store call's share of <see cref="StorageOptions.RequestTimeout"/>: the timeout less a margin (a fifth, at most
    /// 250 ms) for writing the 503 and passing it back through the gateway, so the client has its answer within the timeout.
    /// </summary>
    public static TimeSpan CallBudget(TimeSpan requestTimeout) =>
        requestTimeout - TimeSpan.FromMilliseconds(Math.Min(250, requestTimeout.TotalMilliseconds / 5));

    private static async Task UnavailableAsync(HttpContext context)
    {
        const string message = "The hub's store is not answering right now, so this request could not be completed. Nothing was lost; try again in a few seconds.";
        var response = context.Response;
        response.Clear();
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        // A browser's form post gets the page too: its refresh loads the form again, to try once more.
        bool wantsPage = context.Request.Headers[HeaderNames.Accept].ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
            && !context.Request.Path.StartsWithSegments("/hub/api", StringComparison.Ordinal);
        if (!wantsPage)
        {
            await ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, message).ExecuteAsync(context);
            return;
        }
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{RetryAfterSeconds}">
            <title>The hub is busy</title></head>
            <body><h1>The hub is busy</h1><p>{WebUtility.HtmlEncode(message)}</p>
            <p>This page tries again by itself every {RetryAfterSeconds} seconds.</p></body></html>
            """, context.RequestAborted);
    }
}
