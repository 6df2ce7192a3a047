using Hub.Azure.Store;
using Hub.Core.Auth;
using Hub.Core.Auth.Credentials;
using Hub.Core.Spawning;
using Hub.Gateway.Activity;
using Hub.Gateway.Auth;
using Hub.Gateway.Forwarding;
using Hub.Gateway.Metrics;
using Hub.Gateway.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Gateway.Hosting;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>Registers everything the gateway runs on. Idempotent: a test may register its own store or clock first.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, GatewaySettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddTableHubStore(settings.Storage);
        services.TryAddSingleton(_ => ServerTokenSource.FromOptions(settings.Hub));
        services.TryAddSingleton(_ => new Hub.Core.Security.ClientAddressHeader(Hub.Core.Hosting.HubSecretKey.Load(settings.Hub)));
        services.TryAddSingleton(new OriginPolicy(settings.Hub.PublicUrl));
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton(settings.Culler);
        services.TryAddSingleton<ActivityRules>();
        services.TryAddSingleton<ActivityRecorder>();
        services.TryAddSingleton<BackendClient>();
        services.TryAddSingleton<ControlPlaneTarget>();
        services.AddHttpForwarder();
        services.TryAddSingleton<BackendForwarder>();
        services.TryAddSingleton<RouteTable>();
        services.TryAddSingleton(Hub.Core.Services.ServiceCatalog.Empty);
        services.TryAddSingleton<ServiceRoutes>();
        services.TryAddSingleton<RouteRefresher>();
        services.TryAddSingleton<CredentialStoreState>();
        services.TryAddSingleton<LoginAccessPolicy>();
        services.TryAddSingleton<CachedCredentialLookup>();
        // The gateway issues no token kinds of its own: a server's token is the server's, checked by the server.
        services.TryAddSingleton(provider => new CredentialResolver(
            provider.GetRequiredService<CachedCredentialLookup>(), provider.GetRequiredService<LoginAccessPolicy>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetServices<ITokenKind>(), new CredentialResolverOptions { SessionCookieFallback = true },
            provider.GetService<Hub.Core.Services.ServiceCatalog>()));
        services.TryAddSingleton<RequestCredentials>();
        services.TryAddSingleton<SharedConnectionWatch>();
        services.TryAddSingleton<RequestDispatcher>();
        services.TryAddSingleton<ActivityWriter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RouteRefresher>(p => p.GetRequiredService<RouteRefresher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ActivityWriter>(p => p.GetRequiredService<ActivityWriter>()));
        return services;
    }
}
