using Hub.Core.Hosting;
using Hub.Core.Services;
using Hub.Functions.Api;

namespace Hub.Functions.Services;

/// <summary>
/// <c>GET /hub/api/services</c> (<c>list:services</c>, filtered by <c>!service=</c>) and
/// <c>GET /hub/api/services/{name}</c> (<c>read:services</c> or <c>read:services:name</c>), with JupyterHub's answers:
/// no form of the scope is a 403, a service the scopes do not reach is the same 404 as an unknown one. The list is the
/// spec's array of service models, with the spec's <c>offset</c> and <c>limit</c>.
/// </summary>
public static class ServicesEndpoints
{
    public static IEndpointRouteBuilder MapServicesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/services", List);
        endpoints.MapGet("/services/{name}", Get);
        return endpoints;
    }

    private static IResult List(HttpContext context, Caller caller, ServiceCatalog services, HubOptions hub)
    {
        if (!caller.Scopes.HasAny("list:services"))
        {
            return ApiProblem.MissingScope("list:services");
        }
        if (!ApiPaging.TryRead(context.Request.Query, out int offset, out int limit, out var pagingProblem))
        {
            return pagingProblem!;
        }
        var listed = services.All
            .Where(s => caller.Scopes.AllowsService("list:services", s.Name))
            .Select(s => ServiceModels.Listed(s, caller.Scopes))
            .ToList();
        return ApiPaging.Page(context, hub, "/hub/api/services", listed.Skip(offset).Take(limit).ToList(), offset, limit, listed.Count);
    }

    private static IResult Get(string name, Caller caller, ServiceCatalog services)
    {
        if (!caller.Scopes.HasAny("read:services") && !caller.Scopes.HasAny("read:services:name"))
        {
            return ApiProblem.MissingScope("read:services");
        }
        return services.Find(name) is { } service && ServiceModels.Service(service, caller.Scopes) is { } model
            ? ApiJson.Ok(model)
            : ApiProblem.NotFound($"No such service: {Hub.Core.Security.LogText.Cap(name)}");
    }
}
