using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Timers;

/// <summary>
/// A timer job known by its name and schedule before it exists: the job, and every service it needs, is built on its
/// first run. Mapping the timer endpoints and starting the scheduler need only the names and schedules, so start-up
/// does not build the jobs' services (the store's clients, the lifecycle, the probes) on its way to the first request.
/// </summary>
/// <typeparam name="TJob">The job, registered as a singleton of its own type.</typeparam>
internal sealed class DeferredTimerJob<TJob>(IServiceProvider provider, string name, string schedule) : ITimerJob
    where TJob : class, ITimerJob
{
    private TJob? _job;

    public string Name => name;

    public string Schedule => schedule;

    public bool CoalescesOverlappingRuns => Job.CoalescesOverlappingRuns;

    /// <summary>The job itself, built on first use (a singleton, so every trigger shares it).</summary>
    public TJob Job => _job ??= provider.GetRequiredService<TJob>();

    public Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken) =>
        Job.RunAsync(invocation, cancellationToken);
}

/// <summary>Registers timer jobs so that they are built on their first run (see <see cref="DeferredTimerJob{TJob}"/>).</summary>
public static class TimerJobServiceCollectionExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TJob"/> (registered as a singleton of its own type too) as the timer job
    /// <paramref name="name"/>, on the schedule <paramref name="schedule"/> picks from the bound <see cref="TimerOptions"/>.
    /// Its <see cref="ITimerJob.Name"/> and <see cref="ITimerJob.Schedule"/> must agree with these. Idempotent.
    /// </summary>
    public static IServiceCollection AddTimerJob<TJob>(this IServiceCollection services, string name, Func<TimerOptions, string> schedule)
        where TJob : class, ITimerJob
    {
        services.TryAddSingleton<TJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITimerJob, DeferredTimerJob<TJob>>(
            provider => new DeferredTimerJob<TJob>(provider, name, schedule(provider.GetRequiredService<TimerOptions>()))));
        return services;
    }
}
