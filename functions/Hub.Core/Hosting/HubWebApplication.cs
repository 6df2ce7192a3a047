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
        var builder = WebApplication.CreateSlimBuilder(args);
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
