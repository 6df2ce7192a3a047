using Azure.Core;
using Azure.Identity;
using Hub.Core.Spawning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Hub.Azure.Arm;

public static class ArmServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ACI spawner as <see cref="ISpawner"/> with its ARM client: a managed identity (or the developer's
    /// Azure CLI login) against Azure, the <see cref="LoopbackCredential"/> against a loopback test double. Idempotent:
    /// a test may register its own credential or spawner first.
    /// </summary>
    public static IServiceCollection AddContainerInstanceSpawner(this IServiceCollection services, ContainerInstancesOptions options)
    {
        services.TryAddSingleton<TokenCredential>(_ => options.ManagementEndpoint.IsLoopback
            ? new LoopbackCredential()
            : options.ManagedIdentityClientId.Length > 0
                ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId))
                : new DefaultAzureCredential());
        services.TryAddSingleton(provider => new ArmRateLimiter(provider.GetRequiredService<TimeProvider>(), options.ArmInstances));
        services.TryAddSingleton(provider => new ArmClient(options.ManagementEndpoint, provider.GetRequiredService<TokenCredential>(),
            new ArmClientOptions { TimeProvider = provider.GetRequiredService<TimeProvider>(), CallTimeout = options.CallTimeout }));
        services.TryAddSingleton<ISpawner>(provider => new ContainerInstanceSpawner(
            provider.GetRequiredService<ArmClient>(),
            options,
            provider.GetRequiredService<ArmRateLimiter>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ContainerInstanceSpawner>>()));
        return services;
    }
}
