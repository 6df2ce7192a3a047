using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Api.Models;
using Hub.Functions.Auth;

namespace Hub.Functions.Api;

/// <summary>
/// JupyterHub 5's shares of one owner's servers: <c>GET /hub/api/shares/{owner}</c> (<c>read:shares</c>), and on
/// <c>/hub/api/shares/{owner}/{server_name}</c> (a trailing <c>/</c> for the default server) <c>GET</c>
/// (<c>read:shares</c>), <c>POST</c> to grant and <c>PATCH</c> to revoke scopes for one user or group, <c>DELETE</c> to
/// revoke every share (<c>shares</c>). A grant needs every shared scope for that server (nobody shares more than they
/// may do there) and the recipient's name (<c>read:users:name</c> / <c>read:groups:name</c>), as JupyterHub's; the
/// owner's user role holds <c>shares</c> for their own servers, admins for all.
/// </summary>
public static class SharesEndpoints
{
    public static IEndpointRouteBuilder MapSharesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var read = TargetFilter.SharedServer("read:shares");
        var change = TargetFilter.SharedServer("shares");
        // "/shares/{owner}/" (routing drops the slash) names the default server; the filter tells them apart.
        foreach (string route in (string[])["/shares/{owner}", "/shares/{owner}/{server}"])
        {
            endpoints.MapGet(route, ListAsync).AddEndpointFilter(read);
            endpoints.MapPost(route, GrantAsync).AddEndpointFilter(change);
            endpoints.MapPatch(route, RevokeAsync).AddEndpointFilter(change);
            endpoints.MapDelete(route, RevokeAllAsync).AddEndpointFilter(change);
        }
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, Caller caller, ApiTarget target, IHubStore store) =>
        await ShareApi.SharePageAsync(context, await ShareApi.VisibleAsync(caller, target, store.Shares.ListForOwnerAsync, s => s.Server, context.RequestAborted));

    private static async Task<IResult> GrantAsync(HttpContext context, Caller caller, ApiTarget target)
    {
        var key = target.Server;
        var (request, bodyProblem) = await ApiBody.ReadAsync<ShareRequest>(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if (!ShareScopes.TryApply(request.Scopes, key, out var scopes, out string scopeProblem))
        {
            return ApiProblem.BadRequest(scopeProblem);
        }
        if (ShareScopes.NotHeld(caller.Scopes, scopes, key, target.User.Groups) is { } notHeld)
        {
            return ApiProblem.Forbidden($"Do not have permission to grant share with scope {notHeld}");
        }
        var (recipient, recipientProblem) = await RecipientAsync(context, caller, request, mustExist: true);
        if (recipient is null)
        {
            return recipientProblem!;
        }
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var share = await ShareGrants.GrantAsync(store, key, recipient.Value, scopes, now, context.RequestAborted);
        return ApiJson.Ok(ShareApi.ShareModel(share, await store.Servers.GetAsync(key, context.RequestAborted), context.RequestServices.GetRequiredService<Core.Hosting.HubOptions>()));
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, Caller caller, ApiTarget target)
    {
        var key = target.Server;
        var (request, bodyProblem) = await ApiBody.ReadAsync<ShareRequest>(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        IReadOnlyList<string>? scopes = null;
        if (request.Scopes is { Count: > 0 } && !ShareScopes.TryApply(request.Scopes, key, out scopes, out string scopeProblem))
        {
            return ApiProblem.BadRequest(scopeProblem);
        }
        // As JupyterHub: revoking from a user or group that does not exist revokes nothing, and says so with {}.
        var (recipient, recipientProblem) = await RecipientAsync(context, caller, request, mustExist: false);
        if (recipientProblem is not null)
        {
            return recipientProblem;
        }
        if (recipient is null)
        {
            return ApiJson.Ok(new Dictionary<string, object?>());
        }
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        var left = await ShareGrants.RevokeAsync(store, new ShareKey(key, recipient.Value), scopes, context.RequestAborted);
        return left is null
            ? ApiJson.Ok(new Dictionary<string, object?>())
            : ApiJson.Ok(ShareApi.ShareModel(left, await store.Servers.GetAsync(key, context.RequestAborted), context.RequestServices.GetRequiredService<Core.Hosting.HubOptions>()));
    }

    private static async Task<IResult> RevokeAllAsync(HttpContext context, ApiTarget target)
    {
        var key = target.Server;
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        await foreach (var share in store.Shares.ListForOwnerAsync(key.User, key.Server, context.RequestAborted))
        {
            await store.Shares.DeleteAsync(share.Key, cancellationToken: context.RequestAborted);
        }
        return Results.NoContent();
    }

    /// <summary>
    /// The user or group a grant or revocation names. A grant needs to read the name (403 without) and the user or
    /// group to exist (400 without, as JupyterHub); a revocation of someone unknown is <c>(null, null)</c>.
    /// </summary>
    private static async Task<(ShareRecipient? Recipient, IResult? Problem)> RecipientAsync(HttpContext context, Caller caller, ShareRequest request, bool mustExist)
    {
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        if (request.User is { } rawUser)
        {
            string name = UserNamePolicy.Fold(rawUser);
            var user = UserNamePolicy.WellFormednessProblem(name) is null ? await store.Users.GetAsync(name, context.RequestAborted) : null;
            if (mustExist && !caller.Scopes.Allows("read:users:name", name, user?.Groups ?? []))
            {
                return (null, ApiProblem.Forbidden("Need scope 'read:users:name' to share with users by name (or share a code instead: POST /hub/api/share-codes/{owner}/{server_name})."));
            }
            if (user is null)
            {
                return (null, mustExist ? ApiProblem.BadRequest("No such user: " + LogText.Cap(name)) : null);
            }
            return (ShareRecipient.User(user.Name), null);
        }
        string group = request.Group!;
        if (mustExist && !caller.Scopes.AllowsGroup("read:groups:name", group))
        {
            return (null, ApiProblem.Forbidden("Need scope 'read:groups:name' to share with groups by name."));
        }
        if (GroupNames.Problem(group) is { } groupProblem)
        {
            return (null, mustExist ? ApiProblem.BadRequest(groupProblem) : null);
        }
        if (mustExist && (await GroupsEndpoints.MembersAsync(store, group, context.RequestAborted)).Count == 0)
        {
            return (null, ApiProblem.BadRequest("No such group: " + LogText.Cap(group)));
        }
        return (ShareRecipient.Group(group), null);
    }
}
