using Hub.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace Hub.Functions.Tests.Spawning;

/// <summary>Bad spawning settings stop the control plane with every problem named, across sections.</summary>
public sealed class SpawningSettingsTests
{
    private static AppSettingsException BuildFails(Dictionary<string, string?> settings) =>
        Assert.Throws<AppSettingsException>(() => ControlPlaneApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings)));

    [Fact]
    public void Build_ContainerInstancesWithoutItsSettings_ListsEachMissingOne()
    {
        var error = BuildFails(new() { ["Spawner:Kind"] = "container-instances", ["ContainerInstances:StorageAccountKey"] = "" });

        foreach (var key in new[] { "SubscriptionId", "ResourceGroup", "Location", "Image", "StorageAccount", "StorageAccountKey" })
        {
            Assert.Contains($"ContainerInstances__{key} must be set when Spawner__Kind is container-instances", error.Problems);
        }
    }

    [Fact]
    public void Build_SeveralBadValues_ReportsEveryOneWithoutSecrets()
    {
        var error = BuildFails(new()
        {
            ["Limits:ConcurrentSpawns"] = "-1",
            ["Limits:StartTimeout"] = "2s",
            ["Limits:StartAttemps"] = "4",
            ["Spawner:SlowSpawnTimeout"] = "10m",
            ["LocalProcess:Command"] = "jupyter notebook --port={port} --secret={token}",
            ["ContainerInstances:ManagementEndpoint"] = "http://arm.example.org",
            ["ContainerInstances:NamePrefix"] = "Hub-1",
            ["ContainerInstances:Environment"] = "JUPYTER_TOKEN=x,OK=1",
            ["ContainerInstances:StorageAccountKey"] = "c2VjcmV0LXN0b3JhZ2Uta2V5",
            ["ContainerInstances:CallTimeout"] = "500ms",
            ["ContainerInstances:BackgroundCallTimeout"] = "1h",
        });

        string all = string.Join("\n", error.Problems);
        Assert.Contains("Limits__ConcurrentSpawns must be 0 (no limit) or more, not -1", all, StringComparison.Ordinal);
        Assert.Contains("Limits__StartTimeout must be from 10 seconds to 2 hours", all, StringComparison.Ordinal);
        Assert.Contains("Limits__StartAttemps is not a setting this app reads (did you mean Limits__StartAttempts?)", all, StringComparison.Ordinal);
        Assert.Contains("Spawner__SlowSpawnTimeout must be from 0 to 200 seconds", all, StringComparison.Ordinal);
        Assert.Contains("LocalProcess__Command uses {token}", all, StringComparison.Ordinal);
        Assert.Contains("LocalProcess__Command must use {base_url}", all, StringComparison.Ordinal);
        Assert.Contains("ContainerInstances__ManagementEndpoint must be an https URL", all, StringComparison.Ordinal);
        Assert.Contains("ContainerInstances__NamePrefix must be a lower-case letter", all, StringComparison.Ordinal);
        Assert.Contains("ContainerInstances__Environment has 'JUPYTER_TOKEN'", all, StringComparison.Ordinal);
        Assert.Contains("ContainerInstances__CallTimeout must be from 1 second to 5 minutes", all, StringComparison.Ordinal);
        Assert.Contains("ContainerInstances__BackgroundCallTimeout must be from 1 second to 30 minutes", all, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXN0b3JhZ2Uta2V5", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LocalProcessInAzureMode_IsRefused()
    {
        var error = BuildFails(new()
        {
            ["Hub:Mode"] = "azure",
            ["Hub:PublicUrl"] = "https://hub.example.org",
            ["Hub:SecretKey"] = Convert.ToBase64String(new byte[32]),
        });

        Assert.Contains(error.Problems, p => p.StartsWith("Spawner__Kind must be container-instances in Azure mode", StringComparison.Ordinal));
    }
}
