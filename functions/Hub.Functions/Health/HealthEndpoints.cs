using Hub.Core.Store;
using Hub.Functions.Logging;

namespace Hub.Functions.Health;

/// <summary>
/// <c>GET /hub/health</c> (and JupyterHub's <c>/hub/api/health</c>): 200 when the store answers, 503 with a
/// problem+json reason when it does not. No authentication: load balancers and the Functions host call it.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hub/health", CheckAsync).AllowAnonymous();
        endpoints.MapGet("/hub/api/health", CheckAsync).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> CheckAsync(IHubStore store, ILoggerFactory loggers, HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        var health = await store.CheckHealthAsync(context.RequestAborted);
        if (health.Reachable)
        {
            return Results.Json(new HealthResponse("ok", health.Description));
        }
        Log.StoreUnhealthy(loggers.CreateLogger(typeof(HealthEndpoints)), health.Description);
        return Results.Problem(
            title: "The hub's store is not reachable",
            detail: health.Description,
            statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private sealed record HealthResponse(string Status, string Store);
}
