using Hub.Azure.Store;
using Hub.Core.Configuration;
using Hub.Core.Hosting;

namespace Hub.Gateway.Hosting;

/// <summary>Every settings section the gateway reads. Binding and the catalog list the same sections, side by side.</summary>
public sealed record GatewaySettings(HubOptions Hub, GatewayOptions Gateway, StorageOptions Storage)
{
    public static GatewaySettings Bind(AppSettings settings) => new(
        settings.Add<HubOptions>(),
        settings.Add<GatewayOptions>(),
        settings.Add<StorageOptions>());

    public static IReadOnlyList<SettingDescription> Describe() =>
    [
        .. SettingsBinder.Describe<HubOptions>(),
        .. SettingsBinder.Describe<GatewayOptions>(),
        .. SettingsBinder.Describe<StorageOptions>(),
    ];
}
