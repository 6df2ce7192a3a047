using Hub.Core.Auth;
using Hub.Core.Store;

namespace Hub.Functions.Api;

/// <summary>
/// "The user (and server) this route names exists, and the caller holds the scope on it", once for every route that
/// names one (<see cref="ApiTargets.UserAsync"/>: 403 without any form of the scope, the 404 of a missing user when a
/// filtered scope does not reach it; 400 for a malformed server name; 404 for a named server that a sharing route
/// needs and that does not exist). Routes that name a group instead get the same rule for the group
/// (<see cref="ApiTargets.Group"/>). Runs after <see cref="CallerFilter"/>; the handler reads the result as an
/// <see cref="ApiTarget"/> parameter.
/// </summary>
public sealed class TargetFilter : IEndpointFilter
{
    private readonly Func<ScopeSet, string> scope;
    private readonly ServerRule server;
    private readonly string userRoute;
    private readonly GroupRule group;

    private TargetFilter(Func<ScopeSet, string> scope, ServerRule server, string userRoute, GroupRule group = GroupRule.None)
    {
        this.scope = scope;
        this.server = server;
        this.userRoute = userRoute;
        this.group = group;
    }

    private enum GroupRule
    {
        /// <summary>The route names a user, not a group.</summary>
        None,

        /// <summary><c>{name}</c> is a group; a malformed name is the 404 of a group that cannot exist.</summary>
        Group,

        /// <summary><c>{name}</c> is a group to create or change; a malformed name is a 400 naming its problem.</summary>
        GroupToChange,
    }

    private enum ServerRule
    {
        /// <summary>The user as a whole.</summary>
        None,

        /// <summary><c>{server}</c> from the route; the default server on routes without one.</summary>
        Route,

        /// <summary>
        /// Sharing routes: <c>{server}</c> from the route, which must exist; without one, the default server when the
        /// path ends in <c>/</c> (<c>/shares/{owner}/</c>), otherwise the owner as a whole (only to read: a change
        /// without a server is a 405).
        /// </summary>
        Shared,
    }

    /// <summary>The user <c>{name}</c> (or another route value), with <paramref name="scope"/> for that user.</summary>
    public static TargetFilter User(string scope, string userRoute = "name") => new(_ => scope, ServerRule.None, userRoute);

    /// <summary>The user <c>{name}</c>, with the scope <paramref name="scope"/> chooses from the caller's, for that user.</summary>
    public static TargetFilter User(Func<ScopeSet, string> scope) => new(scope, ServerRule.None, "name");

    /// <summary>The server <c>{name}</c>/<c>{server}</c> (default when absent), with the chosen scope for that server.</summary>
    public static TargetFilter Server(Func<ScopeSet, string> scope) => new(scope, ServerRule.Route, "name");

    /// <summary>The server <c>{name}</c>/<c>{server}</c> (default when absent), with <paramref name="scope"/> for that server.</summary>
    public static TargetFilter Server(string scope) => Server(_ => scope);

    /// <summary>The shared server <c>{owner}</c>/<c>{server}</c> (see <see cref="ServerRule.Shared"/>), with <paramref name="scope"/> for it.</summary>
    public static TargetFilter SharedServer(string scope) => new(_ => scope, ServerRule.Shared, "owner");

    /// <summary>
    /// The group <c>{name}</c>, with <paramref name="scope"/> for that group; with <paramref name="badNameIs400"/>
    /// (routes that create or change it) a malformed name is a 400 naming its problem rather than a 404.
    /// </summary>
    public static TargetFilter Group(string scope, bool badNameIs400 = false) =>
        new(_ => scope, ServerRule.None, "name", badNameIs400 ? GroupRule.GroupToChange : GroupRule.Group);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var caller = Caller.Of(context).Identity;
        var route = context.Request.RouteValues;
        if (group != GroupRule.None)
        {
            var (name, groupProblem) = ApiTargets.Group(caller, route[userRoute] as string ?? "", scope(caller.Scopes), group == GroupRule.GroupToChange);
            if (name is null)
            {
                return groupProblem;
            }
            ApiTarget.SetGroup(context, name);
            return await next(invocation);
        }
        string? rawServer = server == ServerRule.None ? null
            : route.TryGetValue("server", out var value) ? value as string ?? ""
            : server == ServerRule.Route || ShareApi.NamesDefaultServer(context) ? ""
            : null;
        if (rawServer is null && server == ServerRule.Shared && !HttpMethods.IsGet(context.Request.Method))
        {
            return ShareApi.MethodNotAllowed(context);
        }
        string? serverName = null;
        if (rawServer is not null)
        {
            if (!ApiTargets.TryServerName(rawServer, out string name, out var badName))
            {
                return badName;
            }
            serverName = name;
        }
        var (user, problem) = await ApiTargets.UserAsync(context, caller, route[userRoute] as string ?? "", scope(caller.Scopes), serverName);
        if (user is null)
        {
            return problem;
        }
        ServerKey? key = serverName is null ? null : new ServerKey(user.Name, serverName);
        if (server == ServerRule.Shared && key is { Server.Length: > 0 } named
            && await context.RequestServices.GetRequiredService<IHubStore>().Servers.GetAsync(named, context.RequestAborted) is null)
        {
            return ShareApi.NoSuchServer(named);
        }
        ApiTarget.Set(context, user, key);
        return await next(invocation);
    }
}
