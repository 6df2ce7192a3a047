using Hub.Azure.Store;
using Hub.Core.Configuration;
using Hub.Core.Hosting;
using Hub.Core.Users;
using Hub.Functions.Timers;

namespace Hub.Functions.Hosting;

/// <summary>Every settings section the control plane reads. Binding and the catalog list the same sections, side by side.</summary>
public sealed record ControlPlaneSettings(HubOptions Hub, ControlPlaneOptions Hosting, StorageOptions Storage, UserNameOptions UserNames, TimerOptions Timers)
{
    public static ControlPlaneSettings Bind(AppSettings settings) => new(
        settings.Add<HubOptions>(),
        settings.Add<ControlPlaneOptions>(),
        settings.Add<StorageOptions>(),
        settings.Add<UserNameOptions>(),
        settings.Add<TimerOptions>());

    /// <summary>The catalog of keys, defaults and kinds that the README table and the sample settings file must match.</summary>
    public static IReadOnlyList<SettingDescription> Describe() =>
    [
        .. SettingsBinder.Describe<HubOptions>(),
        .. SettingsBinder.Describe<ControlPlaneOptions>(),
        .. SettingsBinder.Describe<StorageOptions>(),
        .. SettingsBinder.Describe<UserNameOptions>(),
        .. SettingsBinder.Describe<TimerOptions>(),
    ];
}
