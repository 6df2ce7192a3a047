using Hub.Azure.Telemetry;
using Hub.Functions.Api;

namespace Hub.Functions.Metrics;

/// <summary>
/// <c>GET /hub/metrics</c> (and <c>/hub/api/metrics</c>): the control plane's instruments in Prometheus's text format,
/// written by OpenTelemetry's exporter, for callers holding <c>read:metrics</c> (JupyterHub's default
/// <c>authenticate_prometheus=True</c>). The store-wide gauges are counted before the exporter reads them.
/// </summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMetricsScrapingEndpoint("/hub/metrics", AuthorizeAsync);
        endpoints.MapMetricsScrapingEndpoint("/hub/api/metrics", AuthorizeAsync);
        return endpoints;
    }

    private static async Task<bool> AuthorizeAsync(HttpContext context)
    {
        var (caller, problem) = await ApiAccess.AuthenticateAsync(context);
        if (caller is null)
        {
            await problem!.ExecuteAsync(context);
            return false;
        }
        if (!caller.Scopes.HasUnfiltered("read:metrics"))
        {
            await ApiProblem.MissingScope("read:metrics").ExecuteAsync(context);
            return false;
        }
        await context.RequestServices.GetRequiredService<StoreGauges>().RefreshAsync(context.RequestAborted);
        return true;
    }
}
