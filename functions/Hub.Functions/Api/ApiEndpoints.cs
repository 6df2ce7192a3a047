using Hub.Functions.OAuth;
using Hub.Functions.Services;

namespace Hub.Functions.Api;

/// <summary>The JupyterHub-compatible REST API under <c>/hub/api</c>, area by area.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapHubApi(this IEndpointRouteBuilder endpoints) =>
        endpoints
            .MapHubApiEndpoints()
            .MapUsersEndpoints()
            .MapGroupsEndpoints()
            .MapServersEndpoints()
            .MapActivityEndpoints()
            .MapTokensEndpoints()
            .MapSharesEndpoints()
            .MapShareCodesEndpoints()
            .MapSharedWithEndpoints()
            .MapOAuthEndpoints()
            .MapServicesEndpoints()
            .MapNotImplementedEndpoints();
}
