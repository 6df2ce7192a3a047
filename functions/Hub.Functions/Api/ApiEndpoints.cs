using Hub.Functions.OAuth;
using Hub.Functions.Services;
using Hub.Functions.Usage;

namespace Hub.Functions.Api;

/// <summary>
/// The JupyterHub-compatible REST API under <c>/hub/api</c>, area by area, in one route group whose
/// <see cref="CallerFilter"/> resolves the caller (and checks XSRF) once for every endpoint; the endpoints that must
/// answer without a caller say so with <c>.AllowAnonymous()</c>.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/hub/api";

    public static IEndpointRouteBuilder MapHubApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix);
        api.AddEndpointFilter<CallerFilter>();
        api
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
            .MapUsageEndpoints()
            .MapNotImplementedEndpoints();
        return endpoints;
    }
}
