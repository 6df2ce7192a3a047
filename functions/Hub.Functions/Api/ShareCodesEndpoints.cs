using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Functions.Api.Models;
using Microsoft.AspNetCore.WebUtilities;

namespace Hub.Functions.Api;

/// <summary>
/// JupyterHub 5's share codes: <c>GET /hub/api/share-codes/{owner}[/{server_name}]</c> (<c>read:shares</c>), <c>POST</c>
/// to issue one (<c>shares</c>; the code and its <c>accept_url</c> are shown this once, only the hash is stored) and
/// <c>DELETE</c> to revoke one by <c>?code=</c> or <c>?id=</c>, or all of the server's. Whoever follows the accept URL
/// and confirms gets the share (<see cref="Hub.Functions.Pages.AcceptSharePage"/>), until the code expires (one day unless
/// <c>expires_in</c> says otherwise, at most a year).
/// </summary>
public static class ShareCodesEndpoints
{
    public static IEndpointRouteBuilder MapShareCodesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var read = TargetFilter.SharedServer("read:shares");
        var change = TargetFilter.SharedServer("shares");
        // "/share-codes/{owner}/" (routing drops the slash) names the default server; the filter tells them apart.
        foreach (string route in (string[])["/share-codes/{owner}", "/share-codes/{owner}/{server}"])
        {
            endpoints.MapGet(route, ListAsync).AddEndpointFilter(read);
            endpoints.MapPost(route, IssueAsync).AddEndpointFilter(change);
            endpoints.MapDelete(route, RevokeAsync).AddEndpointFilter(change);
        }
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, Caller caller, ApiTarget target, IHubStore store) =>
        await ShareApi.CodePageAsync(context, await ShareApi.VisibleAsync(caller, target, store.ShareCodes.ListForOwnerAsync, c => c.Server, context.RequestAborted));

    private static async Task<IResult> IssueAsync(HttpContext context, Caller caller, ApiTarget target)
    {
        var key = target.Server;
        var (request, bodyProblem) = await ApiBody.ReadAsync<ShareCodeRequest>(context.Request);
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
        var services = context.RequestServices;
        var store = services.GetRequiredService<IHubStore>();
        var hub = services.GetRequiredService<HubOptions>();
        var (record, code) = await ShareGrants.IssueCodeAsync(store, key, scopes, request.ExpiresIn, services.GetRequiredService<TimeProvider>().GetUtcNow(), context.RequestAborted);
        string accept = QueryHelpers.AddQueryString("/hub/accept-share", "code", code);
        var model = ShareApi.CodeModel(record, await store.Servers.GetAsync(key, context.RequestAborted), hub) with
        {
            Code = code,
            AcceptUrl = accept,
            FullAcceptUrl = new Uri(hub.PublicUrl, accept).AbsoluteUri,
        };
        context.Response.Headers.CacheControl = "no-store";
        return ApiJson.Ok(model);
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, ApiTarget target)
    {
        var key = target.Server;
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        var cancellationToken = context.RequestAborted;
        string? code = context.Request.Query["code"].ToString() is { Length: > 0 } c ? c : null;
        string? id = context.Request.Query["id"].ToString() is { Length: > 0 } i ? i : null;
        if (code is not null && id is not null)
        {
            return ApiProblem.BadRequest("Give either code or id, not both.");
        }
        if (code is not null)
        {
            var record = code.Length <= SecretHash.MaxSecretLength ? await store.ShareCodes.GetAsync(SecretHash.Of(code), cancellationToken) : null;
            if (record is null || record.Server != key)
            {
                return ApiProblem.NotFound("No matching code found");
            }
            await store.ShareCodes.DeleteAsync(record.Hash, cancellationToken: cancellationToken);
            return Results.NoContent();
        }
        bool any = false;
        await foreach (var record in store.ShareCodes.ListForOwnerAsync(key.User, key.Server, cancellationToken))
        {
            if (id is null || record.Id == id)
            {
                any = true;
                await store.ShareCodes.DeleteAsync(record.Hash, cancellationToken: cancellationToken);
            }
        }
        return id is not null && !any ? ApiProblem.NotFound("No code found matching id=" + LogText.Cap(id)) : Results.NoContent();
    }
}
