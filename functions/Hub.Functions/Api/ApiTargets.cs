using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Auth;

namespace Hub.Functions.Api;

/// <summary>
/// Finds the user (and server) a route names and checks the caller's scope for it: no form of the scope at all
/// gives 403; a filtered scope that does not cover the target gives the same 404 as a missing user, so that
/// existence is not revealed.
/// </summary>
public static class ApiTargets
{
    public static async Task<(UserRecord? User, IResult? Problem)> UserAsync(HttpContext context, HubCaller caller, string rawName, string scope, string? server = null)
    {
        if (!caller.Scopes.HasAny(scope))
        {
            return (null, ApiProblem.MissingScope(scope));
        }
        string name = UserNamePolicy.Fold(rawName);
        if (UserNamePolicy.WellFormednessProblem(name) is not null)
        {
            return (null, ApiProblem.NotFound("No such user: " + LogText.Cap(name)));
        }
        var user = await context.RequestServices.GetRequiredService<IHubStore>().Users.GetAsync(name, context.RequestAborted);
        bool allowed = user is not null && (server is null
            ? caller.Scopes.Allows(scope, user.Name, user.Groups)
            : caller.Scopes.Allows(scope, user.Name, user.Groups, server));
        return allowed ? (user, null) : (null, ApiProblem.NotFound("No such user: " + LogText.Cap(name)));
    }

    /// <summary>A server name from a route: at most 255 characters, no slashes, control characters or white space.</summary>
    public static bool TryServerName(string? raw, out string name, out IResult? problem)
    {
        name = raw ?? "";
        problem = null;
        if (name.Length > 255 || name.Any(c => c is '/' or '\\' or '?' or '#' or '%' || char.IsControl(c) || char.IsWhiteSpace(c)) || name is "." or "..")
        {
            problem = ApiProblem.BadRequest("Invalid server name: " + LogText.Cap(name));
            return false;
        }
        return true;
    }
}
