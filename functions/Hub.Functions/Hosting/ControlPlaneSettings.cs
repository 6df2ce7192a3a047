using Hub.Azure.Store;
using Hub.Core.Auth;
using Hub.Core.Configuration;
using Hub.Core.Culling;
using Hub.Core.Prewarm;
using Hub.Core.Hosting;
using Hub.Core.Usage;
using Hub.Core.Users;
using Hub.Functions.Timers;
using Hub.Functions.Spawning;

namespace Hub.Functions.Hosting;

/// <summary>Every settings section the control plane reads. Binding and the catalog list the same sections, side by side.</summary>
public sealed record ControlPlaneSettings(
    HubOptions Hub, ControlPlaneOptions Hosting, StorageOptions Storage, UserNameOptions UserNames,
    AuthOptions Auth, OidcOptions Oidc, EntraOptions Entra, TimerOptions Timers, SpawningSettings Spawning,
    CullerOptions Culler, PrewarmOptions Prewarm, QuotaOptions Quota, BudgetOptions Budget,
    HomeStorageOptions HomeStorage)
{
    public static ControlPlaneSettings Bind(AppSettings settings)
    {
        var hub = settings.Add<HubOptions>();
        var bound = new ControlPlaneSettings(
            hub,
            settings.Add<ControlPlaneOptions>(),
            settings.Add<StorageOptions>(),
            settings.Add<UserNameOptions>(),
            settings.Add<AuthOptions>(),
            settings.Add<OidcOptions>(),
            settings.Add<EntraOptions>(),
            settings.Add<TimerOptions>(),
            SpawningSettings.Bind(settings, hub),
            settings.Add<CullerOptions>(),
            settings.Add<PrewarmOptions>(),
            settings.Add<QuotaOptions>(),
            settings.Add<BudgetOptions>(),
            settings.Add<HomeStorageOptions>());
        bound.Auth.Validate(bound.Hub, settings.AddProblem);
        if (bound.Auth.Authenticator == AuthenticatorKind.Oidc)
        {
            bound.Oidc.ValidateWhenUsed(settings.AddProblem);
        }
        if (bound.Auth.Authenticator == AuthenticatorKind.Entra)
        {
            bound.Entra.ValidateWhenUsed(settings.AddProblem);
        }
        return bound;
    }

    /// <summary>The catalog of keys, defaults and kinds that the table in docs/settings.md and the sample settings file must match.</summary>
    public static IReadOnlyList<SettingDescription> Describe() =>
    [
        .. SettingsBinder.Describe<HubOptions>(),
        .. SettingsBinder.Describe<ControlPlaneOptions>(),
        .. SettingsBinder.Describe<StorageOptions>(),
        .. SettingsBinder.Describe<UserNameOptions>(),
        .. SettingsBinder.Describe<AuthOptions>(),
        .. SettingsBinder.Describe<OidcOptions>(),
        .. SettingsBinder.Describe<EntraOptions>(),
        .. SettingsBinder.Describe<TimerOptions>(),
        .. SpawningSettings.Describe(),
        .. SettingsBinder.Describe<CullerOptions>(),
        .. SettingsBinder.Describe<PrewarmOptions>(),
        .. SettingsBinder.Describe<QuotaOptions>(),
        .. SettingsBinder.Describe<BudgetOptions>(),
        .. SettingsBinder.Describe<HomeStorageOptions>(),
    ];
}
