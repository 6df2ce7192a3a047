using Hub.Azure.Telemetry;
using Hub.Core.Configuration;
using Hub.Gateway.Auth;
using Hub.Gateway.Forwarding;
using Hub.Gateway.Hosting;
using Hub.Gateway.Metrics;
using Hub.Gateway.Routing;

namespace Hub.Gateway.Health;

/// <summary>
/// The gateway's own endpoints, outside <c>/hub/</c> and <c>/user/</c>:
/// <c>GET /health</c> (no authentication, for probes): 200 <c>"ok"</c>; 200 <c>"degraded"</c> while the store is slow or
/// down but the gateway carries on with what it last knew (routes a few intervals old, sessions and tokens served from
/// memory), with the reasons; 503 <c>"down"</c> only before the first route read succeeded,
/// <c>GET /metrics</c> (Prometheus text from OpenTelemetry's exporter; an admin's session or a token with <c>read:metrics</c> unless
/// <see cref="GatewayOptions.AuthenticateMetrics"/> is off), and every other path redirected to <c>/hub/…</c>, as
/// JupyterHub does.
/// </summary>
public static class GatewayEndpoints
{
    /// <summary>Routes older than this many refresh intervals (at least <see cref="DegradedAfterMinimum"/>) make the gateway degraded.</summary>
    private const int DegradedAfterIntervals = 3;

    private static readonly TimeSpan DegradedAfterMinimum = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Credential lookups failing this recently make the gateway degraded; an idle gateway, which looks nothing up,
    /// does not stay degraded for ever after an outage.
    /// </summary>
    private static readonly TimeSpan LookupFailedRecently = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", Health);
        endpoints.MapMetricsScrapingEndpoint("/metrics", MayReadMetricsAsync);
        endpoints.MapFallback(RedirectToHub);
        return endpoints;
    }

    private static IResult Health(
        HttpContext context, RouteRefresher refresher, RouteTable routes, CredentialStoreState credentials, GatewayOptions options, GatewayMetrics metrics, TimeProvider time)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (refresher.LastSuccess is not { } at)
        {
            // Nothing to serve yet: keep the replica out of the load balancer until the first read.
            return Results.Problem(
                title: "The gateway's routes are not loaded",
                detail: $"No route table read has succeeded yet: {refresher.LastError ?? "the first read has not finished"}.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                extensions: new Dictionary<string, object?> { ["status"] = "down" });
        }
        // A store outage degrades the gateway but does not take it down: it keeps forwarding with the routes and
        // credentials it knows, which is better than a replica the load balancer has taken out.
        var age = time.GetUtcNow() - at;
        var degradedAfter = TimeSpan.FromTicks(Math.Max(options.RouteRefreshInterval.Ticks * DegradedAfterIntervals, DegradedAfterMinimum.Ticks));
        var reasons = new List<string>();
        if (age > degradedAfter)
        {
            reasons.Add($"the routes were last read {age.TotalSeconds:0} s ago ({refresher.LastError ?? "the read is slow"})");
        }
        if (credentials.Failing && credentials.LastFailure is { } failed && time.GetUtcNow() - failed < LookupFailedRecently)
        {
            reasons.Add("the store does not answer credential lookups in time: sessions and tokens validated within the last "
                + $"{SettingValue.Format(options.StaleCredentialWindow)} are served from memory, others refused with 503");
        }
        return Results.Json(new HealthResponse(reasons.Count == 0 ? "ok" : "degraded", routes.Snapshot.Count, Math.Round(age.TotalSeconds, 3),
            metrics.OpenWebSockets, reasons.Count == 0 ? null : reasons, credentials.StaleServed));
    }

    private static async Task<bool> MayReadMetricsAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<GatewayOptions>();
        if (!options.AuthenticateMetrics)
        {
            return true;
        }
        var result = await context.RequestServices.GetRequiredService<RequestCredentials>().AuthenticateAsync(context.Request).ConfigureAwait(false);
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

    private sealed record HealthResponse(
        string Status, int Routes, double RoutesAgeSeconds, long OpenWebSockets, IReadOnlyList<string>? Degraded, long StaleCredentialsServed);
}
