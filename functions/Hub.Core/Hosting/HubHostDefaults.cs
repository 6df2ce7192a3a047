using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Hub.Core.Hosting;

/// <summary>Defaults both apps share, added with the lowest priority so that any app setting overrides them.</summary>
public static class HubHostDefaults
{
    /// <summary>Information for our own events; only warnings from the framework's per-request logging.</summary>
    public static void AddLoggingDefaults(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            },
        });
}
