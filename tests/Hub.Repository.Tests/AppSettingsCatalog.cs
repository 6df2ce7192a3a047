using Hub.Core.Configuration;
using Hub.Functions.Hosting;
using Hub.Gateway.Hosting;

namespace Hub.Repository.Tests;

/// <summary>Every app setting of both apps, and the settings of the Azure Functions host that the sample file carries.</summary>
public static class AppSettingsCatalog
{
    /// <summary>Read by the Functions host itself, not by our apps; listed so that the sample works with the Functions tools.</summary>
    public static readonly IReadOnlyDictionary<string, string> FunctionsHostSettings = new Dictionary<string, string>
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "custom",
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
    };

    public static IReadOnlyList<SettingDescription> AppSettings =>
        ControlPlaneSettings.Describe()
            .Concat(GatewaySettings.Describe())
            .GroupBy(s => s.Key)
            .Select(group => group.First())
            .ToList();
}
