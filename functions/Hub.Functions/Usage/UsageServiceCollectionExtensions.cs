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
        services.TryAddSingleton<IHomeStorage>(provider =>
            provider.GetRequiredService<ISpawner>() is Core.Spawning.LocalProcess.LocalProcessSpawner local ? new Core.Spawning.LocalProcess.LocalHomeStorage(local) : new UnmeasuredHomeStorage());
        return services;
    }

    /// <summary>For spawners whose homes are not measured yet (Azure Files: see docs/usage.md): no figures.</summary>
    private sealed class UnmeasuredHomeStorage : IHomeStorage
    {
        public Task<HomeStorageUse?> UseOfAsync(string user, CancellationToken cancellationToken) => Task.FromResult<HomeStorageUse?>(null);
    }

    /// <summary>Counts every refusal for the metrics.</summary>
    private sealed class CountedAdmission(IStartAdmission inner, UsageMetrics metrics) : IStartAdmission
    {
        public async Task<StartResult?> CheckAsync(Core.Store.UserRecord user, Core.Store.ServerKey server, CancellationToken cancellationToken)
        {
            var result = await inner.CheckAsync(user, server, cancellationToken).ConfigureAwait(false);
            if (result?.Refusal is { } refusal)
            {
                metrics.Refused(refusal.Kind);
            }
            return result;
        }
    }
}
