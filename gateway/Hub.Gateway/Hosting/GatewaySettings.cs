using Hub.Azure.Store;
using Hub.Core.Configuration;
using Hub.Core.Culling;
using Hub.Core.Hosting;

namespace Hub.Gateway.Hosting;

/// <summary>
/// Every settings section the gateway reads. Binding and the catalog list the same sections, side by side. The culler's
/// section is shared with the control plane: its <see cref="CullerOptions.ActivitySource"/> decides what the gateway records.
/// </summary>
public sealed record GatewaySettings(HubOptions Hub, GatewayOptions Gateway, StorageOptions Storage, CullerOptions Culler)
{
    public static GatewaySettings Bind(AppSettings settings) => new(
        settings.Add<HubOptions>(),
        settings.Add<GatewayOptions>(),
        settings.Add<StorageOptions>(),
        settings.Add<CullerOptions>());

    public static IReadOnlyList<SettingDescription> Describe() =>
    [
        .. SettingsBinder.Describe<HubOptions>(),
        .. SettingsBinder.Describe<GatewayOptions>(),
        .. SettingsBinder.Describe<StorageOptions>(),
        .. SettingsBinder.Describe<CullerOptions>(),
    ];
}
