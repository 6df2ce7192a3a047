using Hub.Azure.Telemetry;
using Hub.Core.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Hub.Core.Hosting;
using Hub.Core.Services;
using Hub.Gateway.Health;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;
using Hub.Gateway.Metrics;

namespace Hub.Gateway;

/// <summary>Composition of the gateway: settings, Kestrel, services, then the request path. <c>Program</c> runs it; tests start it on port 0.</summary>
public static class GatewayApp
{
    /// <exception cref="AppSettingsException">Some app settings are invalid; the message lists all of them.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = HubWebApplication.CreateBuilder(args, configure);
        // With any level enabled for this category, ASP.NET Core starts an Activity and a log scope for every request;
        // the gateway logs what matters itself (refusals, failures), and the per-request start costs it throughput.
        // YARP logs every forwarded request at Information and every failure again beside the gateway's own log line.
        // Lowest priority, as the shared defaults: an app setting can turn either log back on.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
                ["Logging:LogLevel:Yarp"] = "Warning",
            },
        });

        var appSettings = new AppSettings(builder.Configuration);
        var settings = GatewaySettings.Bind(appSettings);
        // The gateway routes services and checks who may open them; their tokens are the control plane's business.
        var services = new ServiceCatalog(ServicesSettings.Bind(builder.Configuration, appSettings.AddProblem, requireTokens: false));
        appSettings.Register(builder.Services);
        builder.Services.AddSingleton(services);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Bodies are streamed to the backend, which sets its own limits; the gateway holds none of them.
            kestrel.Limits.MaxRequestBodySize = null;
            Listeners.Configure(kestrel, settings.Gateway);
        });
        // The request path never blocks (every wait is asynchronous), so Kestrel may run it on its I/O threads instead
        // of handing each read and write to the thread pool: one hop less each way, which a proxy feels in its latency.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.Services.AddGateway(settings);
        builder.Services.AddHubTelemetry(builder.Configuration, "hub-gateway", [GatewayMetrics.MeterName], [ForwardingTracing.SourceName]);

        var app = builder.Build();
        var dispatcher = app.Services.GetRequiredService<RequestDispatcher>();
        app.Use(ForwardingTracing.InvokeAsync);
        app.Use(next => context => dispatcher.InvokeAsync(context, next));
        app.UseRouting();
        app.MapGatewayEndpoints();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                Log.Listening(app.Logger, url, settings.Gateway.ControlPlaneUrl.GetLeftPart(UriPartial.Authority));
            }
        });
        return app;
    }
}
