using Hub.Azure.Telemetry;
using Hub.Gateway.Auth;
using Hub.Gateway.Forwarding;
using Hub.Gateway.Hosting;
using Hub.Gateway.Metrics;
using Hub.Gateway.Routing;

namespace Hub.Gateway.Health;

/// <summary>
/// The gateway's own endpoints, outside <c>/hub/</c> and <c>/user/</c>:
/// <c>GET /health</c> (200 while the route snapshot is fresh, else 503 with the reason; no authentication, for probes),
/// <c>GET /metrics</c> (Prometheus text from OpenTelemetry's exporter; an admin's session or a token with <c>read:metrics</c> unless
/// <see cref="GatewayOptions.AuthenticateMetrics"/> is off), and every other path redirected to <c>/hub/…</c>, as
/// JupyterHub does.
/// </summary>
public static class GatewayEndpoints
{
    /// <summary>Routes older than this many refresh intervals make the gateway unhealthy.</summary>
    private const int StaleAfterIntervals = 10;

    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", Health);
        endpoints.MapMetricsScrapingEndpoint("/metrics", MayReadMetricsAsync);
        endpoints.MapFallback(RedirectToHub);
        return endpoints;
    }

    private static IResult Health(HttpContext context, RouteRefresher refresher, RouteTable routes, GatewayOptions options, GatewayMetrics metrics, TimeProvider time)
    {
        context.Response.Headers.CacheControl = "no-store";
        var staleAfter = TimeSpan.FromTicks(Math.Max(options.RouteRefreshInterval.Ticks * StaleAfterIntervals, TimeSpan.FromSeconds(10).Ticks));
        var age = refresher.LastSuccess is { } at ? time.GetUtcNow() - at : (TimeSpan?)null;
        if (age is null || age > staleAfter)
        {
            string why = refresher.LastError ?? "the first read has not finished";
            return Results.Problem(
                title: "The gateway's routes are not current",
                detail: age is null ? $"No route table read has succeeded yet: {why}." : $"The last successful route table read was {age.Value.TotalSeconds:0} s ago: {why}.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return Results.Json(new HealthResponse("ok", routes.Snapshot.Count, Math.Round(age.Value.TotalSeconds, 3), metrics.OpenWebSockets));
    }

    private static async Task<bool> MayReadMetricsAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<GatewayOptions>();
        if (!options.AuthenticateMetrics)
        {
            return true;
        }
        var result = await context.RequestServices.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context.Request).ConfigureAwait(false);
        if (result.Outcome == AuthenticationOutcome.Authenticated && AccessPolicy.MayReadMetrics(result.Identity!))
        {
            return true;
        }
        int status = result.Outcome == AuthenticationOutcome.Unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status403Forbidden;
        await GatewayResponses.ErrorAsync(context, status, "Metrics are for admins",
            "Send an admin's session or a token with the read:metrics scope.", "forbidden").ConfigureAwait(false);
        return false;
    }

    private static void RedirectToHub(HttpContext context)
    {
        string raw = BackendRequest.RawPathAndQuery(context);
        // "/" and "/x" become "/hub/" and "/hub/x"; the result always starts with "/hub/", never "//".
        GatewayResponses.Redirect(context, "/hub/" + raw.TrimStart('/'), preserveMethod: false);
    }

    private sealed record HealthResponse(string Status, int Routes, double RoutesAgeSeconds, long OpenWebSockets);
}
