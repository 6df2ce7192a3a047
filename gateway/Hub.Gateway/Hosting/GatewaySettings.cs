using Hub.Azure.Store;
using Hub.Core.Auth;
using Hub.Core.Configuration;
using Hub.Core.Culling;
using Hub.Core.Hosting;

namespace Hub.Gateway.Hosting;

/// <summary>
/// Every settings section the gateway reads. Binding and the catalog list the same sections, side by side. The culler's
/// section is shared with the control plane: its <see cref="CullerOptions.ActivitySource"/> decides what the gateway records.
/// </summary>
/// <param name="Auth">Only <see cref="AuthOptions.BlockedUsers"/>: the gateway refuses a blocked user's credentials by the control plane's rule.</param>
public sealed record GatewaySettings(HubOptions Hub, GatewayOptions Gateway, StorageOptions Storage, AuthOptions Auth, CullerOptions Culler)
{
    /// <summary>The <c>Auth</c> settings the gateway reads; the others (how people log in) are the control plane's alone.</summary>
    public static readonly IReadOnlyCollection<string> AuthSettings = [nameof(AuthOptions.BlockedUsers)];

    public static GatewaySettings Bind(AppSettings settings) => new(
        settings.Add<HubOptions>(),
        settings.Add<GatewayOptions>(),
        settings.Add<StorageOptions>(),
        settings.Add<AuthOptions>(AuthSettings),
        settings.Add<CullerOptions>());

    public static IReadOnlyList<SettingDescription> Describe() =>
    [
        .. SettingsBinder.Describe<HubOptions>(),
        .. SettingsBinder.Describe<GatewayOptions>(),
        .. SettingsBinder.Describe<StorageOptions>(),
        .. SettingsBinder.Describe<AuthOptions>(AuthSettings),
        .. SettingsBinder.Describe<CullerOptions>(),
    ];
}
