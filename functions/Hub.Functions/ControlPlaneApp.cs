using Hub.Azure.Store;
using Hub.Azure.Telemetry;
using Hub.Core.Configuration;
using Hub.Functions.Api;
using Hub.Functions.Auth;
using Hub.Functions.Culling;
using Hub.Functions.Metrics;
using Hub.Core.Hosting;
using Hub.Core.Store;
using Hub.Core.Spawning;
using Hub.Core.Users;
using Hub.Functions.Health;
using Hub.Functions.Hosting;
using Hub.Functions.Logging;
using Hub.Functions.Timers;
using Hub.Functions.Usage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Hub.Functions.Spawning;
using Hub.Functions.Pages;
using Hub.Core.Services;

namespace Hub.Functions;

/// <summary>Composition of the control plane: settings, services, endpoints. <c>Program</c> runs it; tests start it on port 0.</summary>
public static class ControlPlaneApp
{
    /// <summary>Builds the app.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Storage:TablePrefix=x</c>).</param>
    /// <param name="configure">Lets a test add settings or services before they are bound.</param>
    /// <exception cref="AppSettingsException">Some app settings are invalid; the message lists all of them.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = HubWebApplication.CreateBuilder(args, configure);

        var appSettings = new AppSettings(builder.Configuration);
        var settings = ControlPlaneSettings.Bind(appSettings);
        var services = new ServiceCatalog(ServicesSettings.Bind(builder.Configuration, appSettings.AddProblem, requireTokens: true));
        appSettings.Register(builder.Services);
        builder.Services.AddSingleton(services);

        builder.WebHost.UseUrls(settings.Hosting.EffectiveListenUrl);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddTableHubStore(settings.Storage);
        builder.Services.AddSingleton(new UserNamePolicy(settings.UserNames));
        builder.Services.AddSingleton<StoreReadiness>();
        builder.Services.AddSingleton<StoreInitializer>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<StoreInitializer>());
        builder.Services.AddSingleton<TimerMetrics>();
        builder.Services.AddSingleton<TimerJobRunner>();
        builder.Services.AddHostedService<TimerScheduler>();
        builder.Services.AddTimerCallers();
        builder.Services.AddHubAuth(settings.Hub, settings.Auth, settings.Oidc, settings.Entra);
        builder.Services.AddSpawning(settings.Spawning, settings.Hub);
        builder.Services.AddUsage(settings);
        builder.Services.AddHostedService<BlockedUserServers>();
        builder.Services.AddCullingAndPrewarm(settings.Culler, settings.Prewarm);
        builder.Services.AddPages();
        builder.Services.AddHubTelemetry(builder.Configuration, "hub-control-plane", [HubMetrics.MeterName], [SpawnTracing.SourceName]);

        var app = builder.Build();
        // Both overlap the endpoint mapping and host start below instead of adding to them.
        StoreInitializer.BeginInBackground(app.Services);
        app.Services.BeginBuildingMeterProvider();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<StoreDeadlineMiddleware>();
        app.Use(RawRouteValues.DecodeOnceAsync);
        app.MapHealthEndpoints();
        app.MapTimerEndpoints();
        app.MapLoginEndpoints();
        app.MapHubApi();
        app.MapPages();
        // Last: the scraping endpoint needs the meter provider, whose build started above.
        app.MapMetricsEndpoints();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                Log.Listening(app.Logger, url);
            }
        });
        return app;
    }
}
