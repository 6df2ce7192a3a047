using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Pages;

public static class PagesServiceCollectionExtensions
{
    /// <summary>Registers the pages' folder (found beside the app or in the repository) and the file server over it.</summary>
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => WebRoot.Locate(AppContext.BaseDirectory));
        services.TryAddSingleton<PageFiles>();
        return services;
    }
}
