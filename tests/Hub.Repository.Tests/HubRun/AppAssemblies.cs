using Hub.Testing;

namespace Hub.Repository.Tests.HubRun;

/// <summary>
/// The control plane's and the gateway's built assemblies, where <c>./hub run</c> builds and starts them. The tests
/// built the same projects in the same configuration, so the script's build must leave them as they are.
/// </summary>
public static class AppAssemblies
{
    public static IReadOnlyList<string> Paths =>
    [
        RepositoryPaths.InRoot("functions", "Hub.Functions", "bin", HubRunScript.Configuration, "net10.0", "Hub.Functions.dll"),
        RepositoryPaths.InRoot("gateway", "Hub.Gateway", "bin", HubRunScript.Configuration, "net10.0", "Hub.Gateway.dll"),
    ];

    public static IReadOnlyList<string> LastWriteTimes() =>
        Paths.Select(path => $"{path}: {File.GetLastWriteTimeUtc(path):O}").ToList();
}
