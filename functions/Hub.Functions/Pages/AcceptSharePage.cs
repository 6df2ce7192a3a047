using System.Text.Encodings.Web;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Auth;

namespace Hub.Functions.Pages;

/// <summary>
/// JupyterHub 5's <c>/hub/accept-share?code=…</c>. <c>GET</c> (signed in) shows whose server the code shares, what it
/// grants and whether the server runs, and asks to confirm; the form posts back with the session's <c>_xsrf</c>
/// (a POST without it, or from another site, is refused before anything is read). <c>POST</c> exchanges the code for a
/// share with the signed-in user and sends the browser to the server, or to a safe <c>next</c>
/// (<see cref="RedirectTarget"/>). As in JupyterHub a code may be exchanged by several users, each counted, until it
/// expires or its owner revokes it; the owner cannot accept their own code.
/// </summary>
public static class AcceptSharePage
{
    public static IEndpointRouteBuilder MapAcceptSharePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hub/accept-share", ShowAsync);
        endpoints.MapPost("/hub/accept-share", AcceptAsync);
        return endpoints;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, IHubStore store, HubOptions hub, TimeProvider time)
    {
        var (caller, redirect) = await PageAccess.RequireLoginAsync(context);
        if (caller is null)
        {
            return redirect!;
        }
        PageHeaders.ForPage(context.Response);
        var (code, server, problem) = await FindAsync(context, store, time, caller, context.Request.Query["code"].ToString(), StatusCodes.Status404NotFound);
        if (problem is not null)
        {
            return problem;
        }
        var html = HtmlEncoder.Default;
        string url = ServerUrls.BasePath(code!.Server);
        string next = NextUrl(context.Request.Query["next"].ToString(), code.Server, hub);
        string serverName = code.Server.Server.Length > 0 ? $" ({html.Encode(code.Server.Server)})" : "";
        string notRunning = server is not null && Api.ApiModels.IsReady(server) ? "" : $"""
            <p role="alert" class="error">The server at {html.Encode(url)} is not running now. After accepting, you may need to ask {html.Encode(code.Server.User)} to start it before you can open it.</p>
            """;
        string scopes = string.Concat(code.Scopes.Select(s => $"<li>{html.Encode(Describe(s))} <code>{html.Encode(s)}</code></li>"));
        string xsrf = PageAccess.XsrfToken(context, caller.SessionIdHash);
        string body = $"""
            <section class="card narrow">
            <h1>Accept sharing invitation</h1>
            <p>You ({html.Encode(caller.User.Name)}) have been invited to access {html.Encode(code.Server.User)}'s server{serverName} at <a href="{html.Encode(url)}">{html.Encode(url)}</a>.</p>
            {notRunning}
            <form method="post" action="/hub/accept-share">
              <input type="hidden" name="_xsrf" value="{html.Encode(xsrf)}">
              <input type="hidden" name="code" value="{html.Encode(context.Request.Query["code"].ToString())}">
              <input type="hidden" name="next" value="{html.Encode(next)}">
              <p>By accepting, you are granted the following permissions, on this one server only:</p>
              <ul>{scopes}</ul>
              <p><button type="submit" class="primary">Accept invitation</button></p>
              <p>After accepting, you will be sent to <a href="{html.Encode(next)}">{html.Encode(next)}</a>.</p>
            </form>
            </section>
            """;
        return PageLayout.Render("Accept sharing invitation", body, StatusCodes.Status200OK, signedIn: true);
    }

    private static async Task<IResult> AcceptAsync(HttpContext context, IHubStore store, HubOptions hub, TimeProvider time)
    {
        PageHeaders.ForPage(context.Response);
        var authentication = await context.RequestServices.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context);
        if (authentication.Caller is not { } caller)
        {
            return authentication.XsrfProblem is { } xsrf
                ? PageLayout.Message("Not accepted", $"The invitation was not accepted: {xsrf}. Open the invitation link again and confirm there.", StatusCodes.Status403Forbidden)
                : Results.Redirect(PageAccess.LoginUrl(context, hub));
        }
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
        var (code, _, problem) = await FindAsync(context, store, time, caller, form["code"].ToString(), StatusCodes.Status400BadRequest);
        if (problem is not null)
        {
            return problem;
        }
        await ShareGrants.ExchangeAsync(store, code!, caller.User.Name, time.GetUtcNow(), context.RequestAborted);
        return Results.Redirect(NextUrl(form["next"].ToString(), code!.Server, hub));
    }

    /// <summary>
    /// The code and its server, or the page that says why not: no code (400), unknown or expired (<paramref name="unknownStatus"/>:
    /// 404 on the page as JupyterHub, 400 on the form), the caller's own server (400), a server that no longer exists (404).
    /// </summary>
    private static async Task<(ShareCodeRecord? Code, ServerRecord? Server, IResult? Problem)> FindAsync(
        HttpContext context, IHubStore store, TimeProvider time, HubCaller caller, string code, int unknownStatus)
    {
        var cancellationToken = context.RequestAborted;
        if (code.Length == 0)
        {
            return (null, null, PageLayout.Message("No share code", "The link has no share code (?code=…). Ask for the whole invitation link again.", StatusCodes.Status400BadRequest));
        }
        var record = await ShareGrants.FindCodeAsync(store, code, time.GetUtcNow(), cancellationToken);
        if (record is null)
        {
            return (null, null, PageLayout.Message("Share not found or expired",
                "This invitation is not valid: it has expired, was revoked by its owner, or the link is incomplete. Ask the owner for a new one.", unknownStatus));
        }
        if (record.Server.User == caller.User.Name)
        {
            return (null, null, PageLayout.Message("This is your own server", "You can't share with yourself! Send the invitation link to the person you want to share with.", StatusCodes.Status400BadRequest));
        }
        var owner = await store.Users.GetAsync(record.Server.User, cancellationToken);
        var server = await store.Servers.GetAsync(record.Server, cancellationToken);
        if (owner is null || (record.Server.Server.Length > 0 && server is null))
        {
            return (null, null, PageLayout.Message("No such server", $"The shared server {record.Server.User}/{record.Server.Server} no longer exists.", StatusCodes.Status404NotFound));
        }
        return (record, server, null);
    }

    /// <summary>A safe <c>next</c>, else the shared server's URL (as JupyterHub's <c>_get_next_url</c>).</summary>
    private static string NextUrl(string next, ServerKey server, HubOptions hub) =>
        RedirectTarget.Sanitize(next, hub.PublicUrl) ?? ServerUrls.BasePath(server);

    private static string Describe(string scope) => scope.Split('!', 2)[0] switch
    {
        "access:servers" => "Open the server: use its notebooks, files and terminals.",
        "servers" => "Start, stop and read the state of the server.",
        "start:servers" => "Start the server.",
        "delete:servers" => "Stop the server.",
        "read:servers" => "Read the state of the server.",
        "shares" or "users:shares" => "Share the server with others.",
        "read:shares" => "See whom the server is shared with.",
        var name => $"Use the scope {name} on this server.",
    };
}
