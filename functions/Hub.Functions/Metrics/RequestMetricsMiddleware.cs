using System.Diagnostics;

namespace Hub.Functions.Metrics;

/// <summary>Records every request's duration under its route pattern (never the raw path, which holds user names).</summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, HubMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            string handler = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.RequestFinished(context.Request.Method, handler, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }
}
