using Hub.Core.Configuration;
using Hub.Core.Hosting;
using Hub.Gateway.Hosting;

namespace Hub.Gateway;

/// <summary>Composition of the gateway. Forwarding arrives with the gateway issue; today it answers its health probe.</summary>
public static class GatewayApp
{
    /// <exception cref="AppSettingsException">Some app settings are invalid; the message lists all of them.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = HubWebApplication.CreateBuilder(args, configure);

        var appSettings = new AppSettings(builder.Configuration);
        var settings = GatewaySettings.Bind(appSettings);
        appSettings.Register(builder.Services);
        builder.WebHost.UseUrls(settings.Gateway.ListenUrl.GetLeftPart(UriPartial.Authority));

        var app = builder.Build();
        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        return app;
    }
}
