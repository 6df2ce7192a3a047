using Hub.Core.Culling;
using Hub.Core.Prewarm;
using Hub.Functions.Prewarm;
using Hub.Functions.Timers;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Culling;

public static class CullingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the timer jobs that act on servers: <c>cull-idle</c>, <c>prewarm</c> and <c>reconcile</c>, with what
    /// they need. Needs spawning (<see cref="Hub.Core.Spawning.IServerLifecycle"/>) registered too. Idempotent: a test
    /// may register its own probe or clock first.
    /// </summary>
    public static IServiceCollection AddCullingAndPrewarm(this IServiceCollection services, CullerOptions culler, PrewarmOptions prewarm)
    {
        services.TryAddSingleton(culler);
        services.TryAddSingleton(prewarm);
        services.TryAddSingleton(provider => new ServerActivityProbe(Hub.Core.Spawning.ServerProbeClient.Create(), provider.GetRequiredService<Hub.Core.Spawning.ServerTokenSource>()));
        services.TryAddSingleton<InactiveUserRemover>();
        services.TryAddSingleton<CullMetrics>();
        services.AddTimerJob<CullIdleJob>(CullIdleJob.FunctionName, timers => timers.CullIdleSchedule);
        services.AddTimerJob<PrewarmJob>(PrewarmJob.FunctionName, timers => timers.PrewarmSchedule);
        services.AddTimerJob<ReconcileJob>(ReconcileJob.FunctionName, timers => timers.ReconcileSchedule);
        return services;
    }
}
