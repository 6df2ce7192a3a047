using Hub.Core.Hosting;
using Hub.Core.Spawning;
using Hub.Core.Users;

namespace Hub.Functions.Pages;

/// <summary>
/// JupyterHub 5's <c>GET /hub/spawn[/{user}[/{server}]]</c>. With nothing to choose (one profile, or <c>?profile=</c>
/// given) it starts the server at once and sends the client to it when it is ready within the start's wait, or to
/// the page that follows the start (which sends it on once ready), so "open my notebook" links and scripts that only
/// follow redirects land in Jupyter. With profiles to choose it shows that page, which offers the choice. A request
/// from another site never starts anything: it only shows the page.
/// </summary>
public static class SpawnPage
{
    public static async Task<IResult> SpawnAsync(HttpContext context, HubOptions hub, SpawnerOptions spawner, UserNamePolicy names, string? user, string? server)
    {
        var (caller, redirect) = await PageAccess.RequireLoginAsync(context);
        if (caller is null)
        {
            return redirect!;
        }
        var (target, refusal) = PageAccess.TargetServer(context, caller, names, user, server);
        if (refusal is not null)
        {
            return refusal;
        }

        var query = context.Request.Query;
        string pending = ServerUrls.SpawnPendingPath(target.User, target.Server) + PageAccess.QueryWithSafeNext(query, hub.PublicUrl);
        string? profile = query["profile"] is { Count: 1 } chosen ? chosen[0] : null;
        bool choice = spawner.ParsedProfiles.Count > 1 && profile is null;
        if (choice || PageAccess.IsFromAnotherSite(context.Request) || context.RequestServices.GetService<IServerLifecycle>() is not { } lifecycle)
        {
            return Results.Redirect(pending);
        }

        var result = await lifecycle.RequestStartAsync(target, new StartOptions(profile), context.RequestAborted);
        string ready = Core.Security.RedirectTarget.Sanitize(query["next"], hub.PublicUrl) ?? ServerUrls.BasePath(target);
        // Everything else (pending, queued, failed, throttled, stopping) is what the pending page shows and follows.
        return Results.Redirect(result.Status is StartStatus.Ready or StartStatus.AlreadyRunning ? ready : pending);
    }
}
