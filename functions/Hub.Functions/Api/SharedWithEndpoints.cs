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
        var readGroup = TargetFilter.Group("read:groups:shares");
        var leaveGroup = TargetFilter.Group("groups:shares");
        endpoints.MapGet("/groups/{name}/shared", ListForGroupAsync).AddEndpointFilter(readGroup);
        endpoints.MapGet("/groups/{name}/shared/{owner}", (HttpContext c, ApiTarget t, string owner) => DefaultOnly(c, () => GroupShareAsync(c, t, owner, "", delete: false))).AddEndpointFilter(readGroup);
        endpoints.MapDelete("/groups/{name}/shared/{owner}", (HttpContext c, ApiTarget t, string owner) => DefaultOnly(c, () => GroupShareAsync(c, t, owner, "", delete: true))).AddEndpointFilter(leaveGroup);
        endpoints.MapGet("/groups/{name}/shared/{owner}/{server}", (HttpContext c, ApiTarget t, string owner, string server) => GroupShareAsync(c, t, owner, server, delete: false)).AddEndpointFilter(readGroup);
        endpoints.MapDelete("/groups/{name}/shared/{owner}/{server}", (HttpContext c, ApiTarget t, string owner, string server) => GroupShareAsync(c, t, owner, server, delete: true)).AddEndpointFilter(leaveGroup);
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

    private static async Task<IResult> ListForGroupAsync(HttpContext context, ApiTarget target)
    {
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        return await ShareApi.SharePageAsync(context, await ShareApi.ToListAsync(store.Shares.ListForRecipientsAsync([ShareRecipient.Group(target.Group)], context.RequestAborted)));
    }

    private static Task<IResult> GroupShareAsync(HttpContext context, ApiTarget target, string owner, string server, bool delete) =>
        OneShareAsync(context, ShareRecipient.Group(target.Group), owner, server, delete);

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
