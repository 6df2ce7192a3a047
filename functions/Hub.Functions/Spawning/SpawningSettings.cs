using Hub.Azure.Arm;
using Hub.Core.Configuration;
using Hub.Core.Hosting;
using Hub.Core.Spawning;
using Hub.Core.Spawning.LocalProcess;

namespace Hub.Functions.Spawning;

/// <summary>The settings sections of spawning, bound together because some rules span them (the spawner chosen decides what is required).</summary>
public sealed record SpawningSettings(SpawnerOptions Spawner, LimitsOptions Limits, LocalProcessOptions LocalProcess, ContainerInstancesOptions ContainerInstances)
{
    public static SpawningSettings Bind(AppSettings settings, HubOptions hub)
    {
        var spawning = new SpawningSettings(
            settings.Add<SpawnerOptions>(),
            settings.Add<LimitsOptions>(),
            settings.Add<LocalProcessOptions>(),
            settings.Add<ContainerInstancesOptions>());

        switch (spawning.Spawner.Kind)
        {
            case SpawnerKind.ContainerInstances:
                foreach (var (key, problem) in spawning.ContainerInstances.ProblemsWhenUsed(hub.Mode))
                {
                    settings.AddProblem(key, problem);
                }
                break;
            case SpawnerKind.LocalProcess when hub.Mode == HubMode.Azure:
                settings.AddProblem("Spawner__Kind", "must be container-instances in Azure mode (an Azure Functions app cannot keep Jupyter processes running)");
                break;
            case SpawnerKind.LocalProcess when !OperatingSystem.IsLinux():
                settings.AddProblem("Spawner__Kind", "local-process needs Linux; use container-instances");
                break;
            case SpawnerKind.LocalProcess:
                foreach (var (key, problem) in spawning.LocalProcess.ProblemsWhenUsed())
                {
                    settings.AddProblem(key, problem);
                }
                break;
        }
        return spawning;
    }

    public static IReadOnlyList<SettingDescription> Describe() =>
    [
        .. SettingsBinder.Describe<SpawnerOptions>(),
        .. SettingsBinder.Describe<LimitsOptions>(),
        .. SettingsBinder.Describe<LocalProcessOptions>(),
        .. SettingsBinder.Describe<ContainerInstancesOptions>(),
    ];
}
