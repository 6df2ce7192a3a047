using Hub.Core.Configuration;

namespace Hub.Infra.Tests.Arm;

/// <summary>Compares the settings an app reads (its catalog) with the settings the template gives it.</summary>
internal static class SettingsCoverage
{
    /// <summary>
    /// Read by the Azure Functions host, not by the control plane: host storage through the managed identity
    /// (Learn, "Connecting to host storage with an identity": <c>__accountName</c>, <c>__credential</c>,
    /// <c>__clientId</c>) and Application Insights with Entra ID authentication.
    /// </summary>
    public static readonly IReadOnlySet<string> FunctionsHostSettings = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    /// <summary>Azure's telemetry variables, read by the gateway's OpenTelemetry setup (Azure Monitor), not by its options.</summary>
    public static readonly IReadOnlySet<string> GatewayTelemetrySettings = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    /// <summary>
    /// App settings that Flex Consumption deprecates or refuses; their job moved into <c>functionAppConfig</c>
    /// (Learn, "Flex Consumption plan deprecations").
    /// </summary>
    public static readonly IReadOnlySet<string> RefusedByFlexConsumption = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY",
        "FUNCTIONS_WORKER_PROCESS_COUNT",
        "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "WEBSITE_NODE_DEFAULT_VERSION",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_RUN_FROM_PACKAGE",
    };

    /// <summary>Settings the app reads (a hosting environment's own settings aside) that <paramref name="provided"/> lacks.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<SettingDescription> catalog, IEnumerable<string> provided)
    {
        var given = provided.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return catalog.Where(s => !s.IsSetByHost && !given.Contains(s.Key)).Select(s => s.Key).Distinct().ToList();
    }

    /// <summary>Settings in <paramref name="provided"/> that neither the app nor its host reads: typos, or leftovers the app would refuse.</summary>
    public static IReadOnlyList<string> Unread(IEnumerable<SettingDescription> catalog, IEnumerable<string> provided, IReadOnlySet<string> hostSettings)
    {
        var read = catalog.Select(s => s.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return provided.Where(key => !read.Contains(key) && !hostSettings.Contains(key)).ToList();
    }
}
