using Azure.Core;
using Azure.Identity;
using Hub.Azure.Tables;
using Hub.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Azure.Store;

public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Table store chosen by <paramref name="options"/>: a shared key from the connection string, or
    /// a managed identity against the table endpoint. Registration is idempotent (a test may register its own first).
    /// </summary>
    public static IServiceCollection AddTableHubStore(this IServiceCollection services, StorageOptions options)
    {
        services.TryAddSingleton(_ => CreateConnection(options));
        services.TryAddSingleton(provider => new TableHubStore(provider.GetRequiredService<TableServiceConnection>(), options.TablePrefix));
        services.TryAddSingleton<IHubStore>(provider => provider.GetRequiredService<TableHubStore>());
        return services;
    }

    /// <summary>The connection <paramref name="options"/> choose: the connection string, or the endpoint with a managed identity.</summary>
    public static TableServiceConnection CreateConnection(StorageOptions options)
    {
        if (options.TableEndpoint is null)
        {
            return TableServiceConnection.FromConnectionString(options.ConnectionString);
        }
        TokenCredential credential = options.ManagedIdentityClientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId))
            : new DefaultAzureCredential();
        return TableServiceConnection.FromEndpoint(options.TableEndpoint, credential);
    }
}
