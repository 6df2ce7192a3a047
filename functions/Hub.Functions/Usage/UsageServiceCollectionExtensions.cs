using Hub.Core.Spawning;
using Hub.Core.Usage;
using Hub.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Usage;

public static class UsageServiceCollectionExtensions
{
    /// <summary>
    /// Registers usage recording, quotas, budgets and their admission check for starts (see docs/usage.md). Sizes
    /// default to the container-instances size, so that a quota counts the same for local processes.
    /// </summary>
    public static IServiceCollection AddUsage(this IServiceCollection services, ControlPlaneSettings settings)
    {
        var spawning = settings.Spawning;
        services.TryAddSingleton(new ServerSizes(spawning.Spawner, spawning.ContainerInstances.Cpu, spawning.ContainerInstances.MemoryInGb));
        services.TryAddSingleton<UsageLedger>();
        services.TryAddSingleton(new QuotaPolicy(settings.Quota));
        services.TryAddSingleton<Quotas>();
        services.TryAddSingleton<BudgetGuard>();
        services.TryAddSingleton<UsageMetrics>();
        services.TryAddSingleton<UsageAdmission>();
        services.TryAddSingleton<IStartAdmission>(provider => new CountedAdmission(provider.GetRequiredService<UsageAdmission>(), provider.GetRequiredService<UsageMetrics>()));
        services.TryAddSingleton<QuotaEnforcer>();
        services.TryAddSingleton(provider => HomeStorageOf(provider, spawning.ContainerInstances));
        services.TryAddSingleton<HomeStorageSurvey>();
        return services;
    }

    /// <summary>How the spawner's homes are measured: a local folder, an Azure Files share, or not at all.</summary>
    private static IHomeStorage HomeStorageOf(IServiceProvider provider, Azure.Arm.ContainerInstancesOptions containerInstances) => provider.GetRequiredService<ISpawner>() switch
    {
        Core.Spawning.LocalProcess.LocalProcessSpawner local => new Core.Spawning.LocalProcess.LocalHomeStorage(local),
        Azure.Arm.ContainerInstanceSpawner => new Azure.Arm.AzureFilesHomeStorage(
            provider.GetRequiredService<Azure.Arm.ArmClient>(),
            containerInstances,
            provider.GetRequiredService<Azure.Arm.ArmRateLimiter>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<Azure.Arm.AzureFilesHomeStorage>>()),
        _ => new UnmeasuredHomeStorage(),
    };

    /// <summary>For spawners without homes of their own (a test spawner): no figures.</summary>
    private sealed class UnmeasuredHomeStorage : IHomeStorage
    {
        public bool Measures => false;

        public Task<HomeStorageUse?> UseOfAsync(string user, CancellationToken cancellationToken) => Task.FromResult<HomeStorageUse?>(null);
    }

    /// <summary>Counts every refusal for the metrics.</summary>
    private sealed class CountedAdmission(IStartAdmission inner, UsageMetrics metrics) : IStartAdmission
    {
        public async Task<StartResult?> CheckAsync(Core.Store.UserRecord user, Core.Store.ServerKey server, IReadOnlyList<Core.Store.ServerRecord> servers, CancellationToken cancellationToken)
        {
            var result = await inner.CheckAsync(user, server, servers, cancellationToken).ConfigureAwait(false);
            if (result?.Refusal is { } refusal)
            {
                metrics.Refused(refusal.Kind);
            }
            return result;
        }
    }
}
