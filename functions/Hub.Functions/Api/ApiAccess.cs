using Hub.Functions.Auth;

namespace Hub.Functions.Api;

/// <summary>
/// The caller of a request with JupyterHub's answers for nobody (403) and a cookie without XSRF (403): run once per
/// API request by <see cref="CallerFilter"/>, and by the few routes under <c>/hub/api</c> mapped outside its group.
/// </summary>
public static class ApiAccess
{
    public static async Task<(HubCaller? Caller, IResult? Problem)> AuthenticateAsync(HttpContext context)
    {
        var result = await context.RequestServices.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context);
        if (result.Caller is not null)
        {
            return (result.Caller, null);
        }
        return (null, ApiProblem.Forbidden(result.XsrfProblem ?? "Missing or invalid credentials."));
    }
}
