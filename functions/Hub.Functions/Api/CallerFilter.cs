namespace Hub.Functions.Api;

/// <summary>
/// The filter on the <c>/hub/api</c> group: resolves the caller once (token or session cookie, through
/// <see cref="Auth.RequestAuthenticator"/>, which also refuses a cookie request that changes state without a matching
/// <c>_xsrf</c> or from another site) and answers 403 problem+json when there is none, as JupyterHub does. Endpoints
/// marked <c>.AllowAnonymous()</c> (the version, OAuth's own authentication, unknown paths, 501s) are passed through.
/// </summary>
public sealed class CallerFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            return await next(invocation);
        }
        var (caller, problem) = await ApiAccess.AuthenticateAsync(context);
        if (caller is null)
        {
            return problem;
        }
        Caller.Set(context, caller);
        return await next(invocation);
    }
}
