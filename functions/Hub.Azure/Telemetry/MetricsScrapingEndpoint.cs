using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hub.Azure.Telemetry;

/// <summary>
/// Maps OpenTelemetry's Prometheus scraping endpoint at an app's metrics path, behind the app's own check of the
/// caller: the exporter writes the text only after <c>authorizeAsync</c> returned <c>true</c>. Only <c>GET</c> is
/// routed there, as to any other read endpoint.
/// </summary>
public static class MetricsScrapingEndpoint
{
    /// <summary>Maps <paramref name="path"/>.</summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="path">The path scrapers use (<c>/hub/metrics</c>, the gateway's <c>/metrics</c>).</param>
    /// <param name="authorizeAsync">
    /// Decides whether the caller may read the metrics; it writes the refusal itself and returns <c>false</c>, or returns
    /// <c>true</c> (and may refresh what the instruments report) to let the exporter answer.
    /// </param>
    public static IEndpointConventionBuilder MapMetricsScrapingEndpoint(
        this IEndpointRouteBuilder endpoints, string path, Func<HttpContext, Task<bool>> authorizeAsync) =>
        endpoints.MapPrometheusScrapingEndpoint(path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (!await authorizeAsync(context).ConfigureAwait(false))
            {
                return;
            }
            context.Response.Headers.CacheControl = "no-store";
            await next(context).ConfigureAwait(false);
        }), optionsName: null).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
}
