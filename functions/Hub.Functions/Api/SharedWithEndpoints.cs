using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Core.Users;

namespace Hub.Functions.Api;

/// <summary>
/// The recipient's side of sharing (JupyterHub 5): <c>GET /hub/api/users/{name}/shared</c> lists the shares a user
/// holds, directly or through a group (<c>read:users:shares</c>); <c>GET/DELETE
/// /hub/api/users/{name}/shared/{owner}/{server_name}</c> reads or leaves one (<c>read:users:shares</c> /
/// <c>users:shares</c>: a user may always leave a share). The same under <c>/hub/api/groups/{name}/shared</c> with
/// <c>read:groups:shares</c> / <c>groups:shares</c>. A trailing <c>/</c> after the owner names the default server.
/// </summary>
public static class SharedWithEndpoints
{
    public static IEndpointRouteBuilder MapSharedWithEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var read = TargetFilter.User("read:users:shares");
        var leave = TargetFilter.User("users:shares");
        endpoints.MapGet("/users/{name}/shared", ListForUserAsync).AddEndpointFilter(read);
        endpoints.MapGet("/users/{name}/shared/{owner}", (HttpContext c, ApiTarget t, string owner) => DefaultOnly(c, () => UserShareAsync(c, t, owner, "", delete: false))).AddEndpointFilter(read);
        endpoints.MapDelete("/users/{name}/shared/{owner}", (HttpContext c, ApiTarget t, string owner) => DefaultOnly(c, () => UserShareAsync(c, t, owner, "", delete: true))).AddEndpointFilter(leave);
        endpoints.MapGet("/users/{name}/shared/{owner}/{server}", (HttpContext c, ApiTarget t, string owner, string server) => UserShareAsync(c, t, owner, server, delete: false)).AddEndpointFilter(read);
        endpoints.MapDelete("/users/{name}/shared/{owner}/{server}", (HttpContext c, ApiTarget t, string owner, string server) => UserShareAsync(c, t, owner, server, delete: true)).AddEndpointFilter(leave);
        endpoints.MapGet("/groups/{name}/shared", ListForGroupAsync);
        endpoints.MapGet("/groups/{name}/shared/{owner}", (HttpContext c, Caller caller, string name, string owner) => DefaultOnly(c, () => GroupShareAsync(c, caller, name, owner, "", delete: false)));
        endpoints.MapDelete("/groups/{name}/shared/{owner}", (HttpContext c, Caller caller, string name, string owner) => DefaultOnly(c, () => GroupShareAsync(c, caller, name, owner, "", delete: true)));
        endpoints.MapGet("/groups/{name}/shared/{owner}/{server}", (HttpContext c, Caller caller, string name, string owner, string server) => GroupShareAsync(c, caller, name, owner, server, delete: false));
        endpoints.MapDelete("/groups/{name}/shared/{owner}/{server}", (HttpContext c, Caller caller, string name, string owner, string server) => GroupShareAsync(c, caller, name, owner, server, delete: true));
        return endpoints;
    }

    private static Task<IResult> DefaultOnly(HttpContext context, Func<Task<IResult>> handler) =>
        ShareApi.NamesDefaultServer(context)
            ? handler()
            : Task.FromResult(ApiProblem.NotFound("No such API endpoint: add '/' for the owner's default server or '/{server_name}'."));

    private static async Task<IResult> ListForUserAsync(HttpContext context, ApiTarget target)
    {
        var user = target.User;
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        return await ShareApi.SharePageAsync(context, await ShareApi.ToListAsync(store.Shares.ListForRecipientsAsync(SharedAccess.RecipientsOf(user), context.RequestAborted)));
    }

    private static Task<IResult> UserShareAsync(HttpContext context, ApiTarget target, string owner, string server, bool delete) =>
        OneShareAsync(context, ShareRecipient.User(target.User.Name), owner, server, delete);

    private static async Task<IResult> ListForGroupAsync(HttpContext context, Caller caller, string name)
    {
        var (group, problem) = GroupOf(caller, name, "read:groups:shares");
        if (group is null)
        {
            return problem!;
        }
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        return await ShareApi.SharePageAsync(context, await ShareApi.ToListAsync(store.Shares.ListForRecipientsAsync([ShareRecipient.Group(group)], context.RequestAborted)));
    }

    private static async Task<IResult> GroupShareAsync(HttpContext context, Caller caller, string name, string owner, string server, bool delete)
    {
        var (group, problem) = GroupOf(caller, name, delete ? "groups:shares" : "read:groups:shares");
        if (group is null)
        {
            return problem!;
        }
        return await OneShareAsync(context, ShareRecipient.Group(group), owner, server, delete);
    }

    /// <summary>The group a route names, with the caller's scope for it (403 without it at all, 404 when it does not cover the group).</summary>
    private static (string? Group, IResult? Problem) GroupOf(Caller caller, string name, string scope)
    {
        if (!caller.Scopes.HasAny(scope))
        {
            return (null, ApiProblem.MissingScope(scope));
        }
        if (GroupNames.Problem(name) is not null || !caller.Scopes.AllowsGroup(scope, name))
        {
            return (null, ApiProblem.NotFound("No such group: " + LogText.Cap(name)));
        }
        return (name, null);
    }

    private static async Task<IResult> OneShareAsync(HttpContext context, ShareRecipient recipient, string owner, string server, bool delete)
    {
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        string ownerName = UserNamePolicy.Fold(owner);
        bool validKey = UserNamePolicy.WellFormednessProblem(ownerName) is null && ApiTargets.TryServerName(server, out _, out _);
        var key = new ShareKey(new ServerKey(ownerName, server), recipient);
        var share = validKey ? await store.Shares.GetAsync(key, context.RequestAborted) : null;
        if (share is null)
        {
            string kind = recipient.Kind == ShareRecipientKind.User ? "user" : "group";
            return ApiProblem.NotFound($"No such share for {kind} {LogText.Cap(recipient.Name)} on {LogText.Cap(ownerName)}/{LogText.Cap(server)}");
        }
        if (delete)
        {
            await store.Shares.DeleteAsync(key, cancellationToken: context.RequestAborted);
            return Results.NoContent();
        }
        var hub = context.RequestServices.GetRequiredService<Core.Hosting.HubOptions>();
        return ApiJson.Ok(ShareApi.ShareModel(share, await store.Servers.GetAsync(share.Server, context.RequestAborted), hub));
    }
}
