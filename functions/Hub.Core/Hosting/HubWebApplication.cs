using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Hosting;

/// <summary>The start every hub app shares: the slim builder, local settings, logging defaults, then the caller's own settings.</summary>
public static class HubWebApplication
{
    /// <param name="args">Command-line arguments (configuration overrides).</param>
    /// <param name="configure">Lets a test add settings or services before the app binds them.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<WebApplicationBuilder>? configure)
    {
        // Settings are environment variables and local.settings.json, bound once at start; the optional appsettings
        // files the builder adds would otherwise each get a file watcher on start-up's path. A caller's args come after, to override.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        LocalSettingsFile.AddTo(builder.Configuration, Directory.GetCurrentDirectory());
        HubHostDefaults.AddLoggingDefaults(builder.Configuration);
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        });
        configure?.Invoke(builder);
        return builder;
    }
}
