namespace Hub.Functions.Api;

/// <summary>
/// The operations of JupyterHub's REST API (5.5.1) this hub does not implement yet answer 501 with a
/// <c>problem+json</c> that names the operation, so that a client can tell "not offered here" from "no such user"
/// (a 404). docs/api.md lists them with the reason for each.
/// </summary>
public static class NotImplementedEndpoints
{
    /// <summary>Method and route of each operation, as the spec names it (under <c>/hub/api</c>).</summary>
    public static readonly IReadOnlyList<(string Method, string Route)> Operations =
    [
        ("GET", "/proxy"),
        ("POST", "/proxy"),
        ("PATCH", "/proxy"),
        ("POST", "/authorizations/token"),
        ("GET", "/authorizations/cookie/{cookie_name}/{cookie_value}"),
        ("POST", "/shutdown"),
    ];

    public static IEndpointRouteBuilder MapNotImplementedEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (method, route) in Operations)
        {
            string operation = $"{method} /hub/api{route}";
            endpoints.MapMethods(route, [method], () => ApiProblem.Of(StatusCodes.Status501NotImplemented,
                $"{operation} is part of JupyterHub's REST API but not implemented by this hub (docs/api.md lists what is)."))
                .AllowAnonymous();
        }
        return endpoints;
    }
}
