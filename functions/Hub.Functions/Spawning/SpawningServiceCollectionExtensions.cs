using Hub.Azure.Arm;
using Hub.Core.Hosting;
using Hub.Core.Spawning;
using Hub.Core.Spawning.LocalProcess;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Spawning;

public static class SpawningServiceCollectionExtensions
{
    /// <summary>
    /// Registers the spawner chosen by <c>Spawner__Kind</c>, the reconcile loop (reconciler, scheduler, sweep) and
    /// <see cref="IServerLifecycle"/>. Idempotent: a test may register its own spawner or clock first.
    /// </summary>
    public static IServiceCollection AddSpawning(this IServiceCollection services, SpawningSettings settings, HubOptions hub)
    {
        services.TryAddSingleton(_ => ServerTokenSource.FromOptions(hub));
        services.TryAddSingleton(_ => new ReadinessProbe(ServerProbeClient.Create()));
        services.TryAddSingleton<ServerChangeSignal>();
        services.TryAddSingleton<SpawnBoard>();
        if (settings.Spawner.Kind == SpawnerKind.ContainerInstances)
        {
            services.AddContainerInstanceSpawner(settings.ContainerInstances);
        }
        else
        {
            services.TryAddSingleton<ISpawner, LocalProcessSpawner>();
        }
        services.TryAddSingleton<ServerReconciler>();
        services.TryAddSingleton<ReconcileSweep>();
        services.TryAddSingleton<ReconcileScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<ReconcileScheduler>());
        services.TryAddSingleton<IServerLifecycle, ServerLifecycle>();
        return services;
    }
}
