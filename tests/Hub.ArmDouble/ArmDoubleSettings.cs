using Hub.Testing;

namespace Hub.ArmDouble;

/// <summary>The app settings that point the control plane's ACI spawner at a running double.</summary>
public static class ArmDoubleSettings
{
    /// <summary>A storage key for the double (never checked, never real).</summary>
    public const string StorageKey = "ZG91YmxlLXN0b3JhZ2Uta2V5LW5vdC1hLXNlY3JldA==";

    /// <summary>
    /// Settings in configuration-path form (<c>Section:Key</c>). The container port is free on 127.0.0.1, so it is
    /// free on the other loopback addresses the groups answer on.
    /// </summary>
    public static Dictionary<string, string?> For(ArmDouble arm, int? containerPort = null) => new()
    {
        ["Spawner:Kind"] = "container-instances",
        ["ContainerInstances:ManagementEndpoint"] = arm.Endpoint.AbsoluteUri,
        ["ContainerInstances:SubscriptionId"] = ArmDouble.SubscriptionId,
        ["ContainerInstances:ResourceGroup"] = ArmDouble.ResourceGroup,
        ["ContainerInstances:Location"] = ArmDouble.Location,
        ["ContainerInstances:Image"] = "jupyter/base-notebook:test",
        ["ContainerInstances:StorageAccount"] = ArmDouble.StorageAccount,
        ["ContainerInstances:StorageAccountKey"] = StorageKey,
        ["ContainerInstances:Port"] = (containerPort ?? FreePort.Next()).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ContainerInstances:PollInterval"] = "00:00:00.2",
    };
}
