using Hub.Core.Store;
using Hub.Functions.Logging;

namespace Hub.Functions.Health;

/// <summary>
/// <c>GET /hub/health</c> (and JupyterHub's <c>/hub/api/health</c>): 200 <c>"ok"</c> when the store answers, 200
/// <c>"degraded"</c> when it answers slowly (in more than <see cref="SlowStore"/>), 503 <c>"down"</c> with a problem+json
/// reason when it does not answer. No authentication: load balancers and the Functions host call it.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>A probe slower than this reports the store as degraded: user requests are near their store deadline.</summary>
    public static readonly TimeSpan SlowStore = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hub/health", CheckAsync).AllowAnonymous();
        endpoints.MapGet("/hub/api/health", CheckAsync).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> CheckAsync(IHubStore store, ILoggerFactory loggers, HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var health = await store.CheckHealthAsync(context.RequestAborted);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (health.Reachable)
        {
            return elapsed > SlowStore
                ? Results.Json(new HealthResponse("degraded", $"{health.Description} It took {elapsed.TotalSeconds:0.0} s to answer."))
                : Results.Json(new HealthResponse("ok", health.Description));
        }
        Log.StoreUnhealthy(loggers.CreateLogger(typeof(HealthEndpoints)), health.Description);
        return Results.Problem(
            title: "The hub's store is not reachable",
            detail: health.Description,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?> { ["status"] = "down" });
    }

    private sealed record HealthResponse(string Status, string Store);
}
