using System.Runtime.CompilerServices;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Hub.Azure.Telemetry;

/// <summary>
/// Metrics and traces of a hub app (the control plane or the gateway): its meters exposed in Prometheus's text format
/// (see <see cref="MetricsScrapingEndpoint"/>), and, when Application Insights is configured
/// (<see cref="ConnectionStringKey"/>), its meters, its activity sources, incoming and outgoing HTTP (W3C trace
/// context), exported to Azure Monitor, so one start can be followed from the gateway through the control plane to
/// ARM and Tables.
/// </summary>
public static class HubTelemetry
{
    /// <summary>Application Insights' connection string, the variable Azure sets for a monitored app.</summary>
    public const string ConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>How the app authenticates to Application Insights (<c>ClientId=…;Authorization=AAD</c> for a managed identity).</summary>
    public const string AuthenticationStringKey = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Registers the app's telemetry. Cheap when Application Insights is not configured: metrics only, read on scrape.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">Read for <see cref="ConnectionStringKey"/> and <see cref="AuthenticationStringKey"/>.</param>
    /// <param name="serviceName">The app's name in traces (<c>service.name</c>).</param>
    /// <param name="meters">The names of the app's meters.</param>
    /// <param name="activitySources">The names of the app's activity sources (traced only with Application Insights).</param>
    public static IServiceCollection AddHubTelemetry(
        this IServiceCollection services, IConfiguration configuration, string serviceName, string[] meters, string[] activitySources)
    {
        string? connectionString = configuration[ConnectionStringKey];
        bool azureMonitor = !string.IsNullOrWhiteSpace(connectionString);
        var telemetry = services.AddOpenTelemetry();
        if (azureMonitor)
        {
            telemetry.ConfigureResource(resource => resource.AddService(serviceName));
        }
        telemetry.WithMetrics(metrics => (azureMonitor
                // The Prometheus text carries no resource (TargetInfoEnabled is off), so without Azure Monitor the
                // default resource's detectors (process, environment) would run at start-up for nothing.
                ? metrics
                : metrics.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName)))
                .AddMeter([.. meters, Tables.TableServiceConnection.MeterName])
                .AddPrometheusExporter(options =>
                {
                    // The text JupyterHub's dashboards read: no scope labels or target_info series beside the hub's own.
                    options.ScopeInfoEnabled = false;
                    options.TargetInfoEnabled = false;
                    // Every scrape reads the instruments afresh; the store-wide gauges keep their own short cache.
                    options.ScrapeResponseCacheDurationMilliseconds = 0;
                }));
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) => metrics.AddView(HostMeters.OnlyFrom(provider)));
        if (azureMonitor)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(activitySources));
            UseAzureMonitor(telemetry, connectionString!, configuration[AuthenticationStringKey]);
        }
        return services;
    }

    /// <summary>
    /// Starts building the app's meter provider on the thread pool, right after the app's services exist, so that it
    /// overlaps the rest of start-up (endpoint mapping, hosted services) instead of adding to it. Whoever needs the
    /// provider first (the scraping endpoint, OpenTelemetry's hosted service) waits for this build or does it itself;
    /// a failure surfaces there, as without this.
    /// </summary>
    public static void BeginBuildingMeterProvider(this IServiceProvider services) =>
        _ = Task.Run(() =>
        {
            try
            {
                services.GetService<MeterProvider>();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Reported by the resolution on the start-up path, which tries again.
            }
        });

    // Kept apart so that the Azure Monitor assemblies are loaded only by an app that exports to it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseAzureMonitor(OpenTelemetryBuilder telemetry, string connectionString, string? authenticationString) =>
        telemetry.UseAzureMonitor(options =>
        {
            options.ConnectionString = connectionString;
            if (ApplicationInsightsAuthentication.Credential(authenticationString) is { } credential)
            {
                options.Credential = credential;
            }
        });
}
