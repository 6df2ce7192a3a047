using Hub.Azure.Telemetry;
using Hub.Functions.Api;
using Hub.Functions.Culling;
using Hub.Functions.Timers;
using Hub.Functions.Usage;

namespace Hub.Functions.Metrics;

/// <summary>
/// <c>GET /hub/metrics</c> (and <c>/hub/api/metrics</c>): the control plane's instruments in Prometheus's text format,
/// written by OpenTelemetry's exporter, for callers holding <c>read:metrics</c> (JupyterHub's default
/// <c>authenticate_prometheus=True</c>). The store-wide gauges are counted before the exporter reads them.
/// </summary>
public static class MetricsEndpoints
{
    /// <summary>
    /// Owners of instruments that start-up may not have built (the timer jobs' services are built on a job's first
    /// run): built before the exporter reads, so their families are on the page from the first scrape.
    /// </summary>
    private static readonly Type[] InstrumentsBuiltOnDemand = [typeof(CullMetrics), typeof(UsageMetrics), typeof(TimerMetrics)];

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
        foreach (var type in InstrumentsBuiltOnDemand)
        {
            context.RequestServices.GetRequiredService(type);
        }
        await context.RequestServices.GetRequiredService<StoreGauges>().RefreshAsync(context.RequestAborted);
        return true;
    }
}
