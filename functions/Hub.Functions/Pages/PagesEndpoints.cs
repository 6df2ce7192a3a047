using Hub.Core.Auth;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Api;
using Hub.Functions.Auth;

namespace Hub.Functions.Pages;

/// <summary>
/// The pages under <c>/hub/</c> (JupyterHub's URLs): <c>home</c>, <c>spawn</c>, <c>spawn-pending/{user}[/{server}]</c>,
/// <c>user/{user}/…</c> (the server is not running: start it, then land on the path), <c>user-redirect/…</c>,
/// <c>admin</c>, <c>token</c>, plus <c>static/…</c> and <c>page-info</c> (what the scripts need to know about the hub).
/// Each page is a static HTML file from <c>web/pages</c> whose scripts call the REST API; these handlers only decide
/// who may see it. Login and logout are <see cref="LoginEndpoints"/>.
/// </summary>
public static class PagesEndpoints
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hub/", HubRootAsync);
        endpoints.MapGet("/hub/home", (HttpContext c, PageFiles files) => PageAsync(c, files, "home"));
        endpoints.MapGet("/hub/token", (HttpContext c, PageFiles files) => PageAsync(c, files, "token"));
        endpoints.MapGet("/hub/admin", AdminAsync);
        endpoints.MapGet("/hub/spawn", SpawnPage.SpawnAsync);
        endpoints.MapGet("/hub/spawn/{user}/{server?}", SpawnPage.SpawnAsync);
        endpoints.MapGet("/hub/spawn-pending/{user}/{server?}", (HttpContext c, PageFiles files, UserNamePolicy names, string user, string? server) => ServerPageAsync(c, files, names, user, server ?? "", rest: null));
        endpoints.MapGet("/hub/user/{user}/{**rest}", (HttpContext c, PageFiles files, UserNamePolicy names, string user, string? rest) => ServerPageAsync(c, files, names, user, "", rest ?? ""));
        endpoints.MapGet("/hub/error/{code:int}", ErrorPage);
        endpoints.MapGet("/hub/user-redirect/{**rest}", UserRedirectAsync);
        endpoints.MapGet("/hub/page-info", PageInfoAsync);
        endpoints.MapGet("/hub/static/{**path}", (HttpContext c, PageFiles files, string path) => files.Static(c, path));
        endpoints.MapAcceptSharePage();
        return endpoints;
    }

    private static async Task<IResult> PageAsync(HttpContext context, PageFiles files, string page)
    {
        var (caller, redirect) = await PageAccess.RequireLoginAsync(context);
        return caller is null ? redirect! : files.Page(context, page);
    }

    private static async Task<IResult> AdminAsync(HttpContext context, PageFiles files)
    {
        var (caller, redirect) = await PageAccess.RequireLoginAsync(context);
        if (caller is null)
        {
            return redirect!;
        }
        if (!caller.User.Admin)
        {
            PageHeaders.ForPage(context.Response);
            return PageLayout.Message("Admins only", "The admin page is for the hub's admins.", StatusCodes.Status403Forbidden);
        }
        return files.Page(context, "admin");
    }

    /// <summary>
    /// <c>/hub/</c>: a signed-in user whose default server runs goes to it (JupyterHub's <c>redirect_to_server</c>),
    /// everyone else to the home page (which asks for a login first).
    /// </summary>
    private static async Task<IResult> HubRootAsync(HttpContext context, SpawnerOptions spawner, IHubStore store)
    {
        var result = await context.RequestServices.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context);
        if (spawner.RedirectToServer && result.Caller is { } caller
            && await store.Servers.GetAsync(new ServerKey(caller.User.Name, ""), context.RequestAborted) is { } server && ApiModels.IsReady(server))
        {
            return Results.Redirect(ServerUrls.BasePath(caller.User.Name, ""));
        }
        return Results.Redirect("/hub/home");
    }

    /// <summary><c>/hub/error/{code}</c>: JupyterHub's error page, for links and proxies that send people there.</summary>
    private static IResult ErrorPage(HttpContext context, int code)
    {
        int status = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        string reason = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        PageHeaders.ForPage(context.Response);
        return PageLayout.Message($"{status} {reason}", status == StatusCodes.Status503ServiceUnavailable
            ? "The server is not running or not reachable right now. Start it from the home page."
            : "Something went wrong. Go back to the home page and try again.", status, signedIn: false);
    }

    /// <summary>
    /// <c>/hub/spawn-pending/{user}[/{server}]</c> (<paramref name="rest"/> <c>null</c>): follows a start, and sends
    /// a client to the server (or its safe <c>next</c>) once it runs, so a script that polls the page lands there too.
    /// <c>/hub/user/{user}/{rest}</c>: the server is not running (JupyterHub's 503), with a start button; under
    /// <c>api/</c> a 503 problem for API clients.
    /// </summary>
    private static async Task<IResult> ServerPageAsync(HttpContext context, PageFiles files, UserNamePolicy names, string user, string server, string? rest)
    {
        var (caller, redirect) = await PageAccess.RequireLoginAsync(context);
        if (caller is null)
        {
            return redirect!;
        }
        // The page sends the browser to next once the server is ready: it gets next only as RedirectTarget passes it.
        var publicUrl = context.RequestServices.GetRequiredService<HubOptions>().PublicUrl;
        var query = context.Request.Query;
        string safeQuery = PageAccess.QueryWithSafeNext(query, publicUrl);
        if (query.ContainsKey("next") && safeQuery != context.Request.QueryString.Value)
        {
            return Results.Redirect(context.Request.Path.ToUriComponent() + safeQuery);
        }
        var (target, refusal) = PageAccess.TargetServer(context, caller, names, user, server);
        if (refusal is not null)
        {
            return refusal;
        }
        var record = await context.RequestServices.GetRequiredService<IHubStore>().Servers.GetAsync(target, context.RequestAborted);
        bool ready = record is not null && ApiModels.IsReady(record);
        if (rest is null)
        {
            return ready
                ? Results.Redirect(RedirectTarget.Sanitize(query["next"], publicUrl) ?? ServerUrls.BasePath(target))
                : files.Page(context, "server");
        }
        if (ready)
        {
            return files.Page(context, "server");
        }
        return rest.StartsWith("api/", StringComparison.Ordinal)
            ? ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, $"The server of {LogText.Cap(target.User)} is not running.")
            : files.Page(context, "server", StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary><c>/hub/user-redirect/{path}</c> (nbgitpuller links and the like): the same path on the caller's own server.</summary>
    private static async Task<IResult> UserRedirectAsync(HttpContext context, HubOptions hub)
    {
        var (caller, redirect) = await PageAccess.RequireLoginAsync(context);
        if (caller is null)
        {
            return redirect!;
        }
        const string prefix = "/hub/user-redirect";
        string rest = context.Request.Path.ToUriComponent()[prefix.Length..].TrimStart('/');
        string target = ServerUrls.HubUserPath(caller.User.Name) + rest + context.Request.QueryString.ToUriComponent();
        return Results.Redirect(RedirectTarget.Sanitize(target, hub.PublicUrl) ?? "/hub/home");
    }

    /// <summary>What the scripts need besides the REST API: who is signed in, the authenticator, and the profiles to choose from.</summary>
    private static async Task<IResult> PageInfoAsync(HttpContext context, AuthOptions auth, SpawnerOptions spawner)
    {
        var (caller, problem) = await ApiAccess.AuthenticateAsync(context);
        if (caller is null)
        {
            return problem!;
        }
        context.Response.Headers.CacheControl = "no-store";
        var profiles = spawner.ParsedProfiles.Count > 1 || spawner.ParsedProfiles[0] != SpawnProfile.BuiltIn
            ? spawner.ParsedProfiles.Select(p => new Dictionary<string, object?> { ["slug"] = p.Slug, ["display_name"] = p.DisplayName, ["default"] = p.Default }).ToList()
            : [];
        return ApiJson.Ok(new Dictionary<string, object?>
        {
            ["name"] = caller.User.Name,
            ["admin"] = caller.User.Admin,
            ["authenticator"] = Core.Configuration.SettingValue.Kebab(auth.Authenticator.ToString()),
            ["profiles"] = profiles,
        });
    }
}
