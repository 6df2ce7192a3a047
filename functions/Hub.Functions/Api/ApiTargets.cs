using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Auth;

namespace Hub.Functions.Api;

/// <summary>
/// Finds the user (and server), or the group, a route names and checks the caller's scope for it: no form of the
/// scope at all gives 403; a filtered scope that does not cover the target gives the same 404 as a missing user or
/// group, so that existence is not revealed.
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

    /// <summary>
    /// The group a route names, with the caller's <paramref name="scope"/> for it (403 without any form of it, 404 when
    /// a <c>!group=</c> filter does not reach it). A malformed name is the 404 of a group that cannot exist, or with
    /// <paramref name="badNameIs400"/> (routes that create or change the group) a 400 naming the problem. Whether the
    /// group has members is the handler's question.
    /// </summary>
    public static (string? Group, IResult? Problem) Group(HubCaller caller, string name, string scope, bool badNameIs400)
    {
        if (!caller.Scopes.HasAny(scope))
        {
            return (null, ApiProblem.MissingScope(scope));
        }
        if (!caller.Scopes.AllowsGroup(scope, name))
        {
            return (null, NoSuchGroup(name));
        }
        if (GroupNames.Problem(name) is { } why)
        {
            return (null, badNameIs400 ? ApiProblem.BadRequest("Invalid group name " + LogText.Cap(name) + ": " + why) : NoSuchGroup(name));
        }
        return (name, null);
    }

    public static IResult NoSuchGroup(string group) => ApiProblem.NotFound("No such group: " + LogText.Cap(group));

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
