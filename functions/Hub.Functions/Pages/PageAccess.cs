using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Api;
using Hub.Functions.Auth;

namespace Hub.Functions.Pages;

/// <summary>
/// Who is asking for a page. Nobody is sent to <c>/hub/login?next=…</c> (the target passed through the same
/// redirect validation as every <c>next</c>); a caller gets an anti-forgery cookie bound to their session, which the
/// pages' scripts echo in <c>X-XSRFToken</c> on every change they make.
/// </summary>
public static class PageAccess
{
    /// <summary>The signed-in caller, or the redirect to the login page.</summary>
    public static async Task<(HubCaller? Caller, IResult? Redirect)> RequireLoginAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var result = await services.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context);
        // A service's token is no login: the pages are a person's.
        if (result.Caller is not { Service: null } caller)
        {
            return (null, Results.Redirect(LoginUrl(context, services.GetRequiredService<HubOptions>())));
        }
        if (caller.Credential == CallerCredential.Session)
        {
            XsrfToken(context, caller.SessionIdHash);
        }
        return (caller, null);
    }

    /// <summary>The anti-forgery token bound to the session: the cookie's, or a new one set as the cookie.</summary>
    public static string XsrfToken(HttpContext context, string? sessionIdHash)
    {
        var services = context.RequestServices;
        var xsrf = services.GetRequiredService<XsrfTokens>();
        string? cookie = context.Request.Cookies[HubCookies.Xsrf];
        if (cookie is not null && xsrf.IsBoundTo(cookie, sessionIdHash))
        {
            return cookie;
        }
        string issued = xsrf.Issue(sessionIdHash);
        services.GetRequiredService<HubCookieWriter>().SetXsrf(context.Response, issued);
        return issued;
    }

    /// <summary><c>/hub/login</c> with this request as <c>next</c> when it is a safe target.</summary>
    public static string LoginUrl(HttpContext context, HubOptions hub)
    {
        string here = context.Request.PathBase.Add(context.Request.Path).ToUriComponent() + context.Request.QueryString.ToUriComponent();
        string? next = RedirectTarget.Sanitize(here, hub.PublicUrl);
        return "/hub/login" + (next is null ? "" : "?next=" + Uri.EscapeDataString(next));
    }

    /// <summary>
    /// <paramref name="query"/> as a query string (with its <c>?</c>, or empty) whose <c>next</c> is what
    /// <see cref="RedirectTarget"/> makes of it, or dropped when it is not a target on this hub; other parameters stay.
    /// </summary>
    public static string QueryWithSafeNext(IQueryCollection query, Uri publicUrl)
    {
        var kept = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in query)
        {
            if (key != "next")
            {
                kept.AddRange(values.Select(v => new KeyValuePair<string, string?>(key, v)));
            }
            else if (values.Count == 1 && RedirectTarget.Sanitize(values[0], publicUrl) is { } next)
            {
                kept.Add(new(key, next));
            }
        }
        return Microsoft.AspNetCore.Http.QueryString.Create(kept).Value ?? "";
    }

    /// <summary>
    /// The server a page names for <paramref name="caller"/>: the named user (or the caller) folded, and the server
    /// name checked; or the page that says why not (403 for another user's server, 400 for a bad server name).
    /// </summary>
    public static (ServerKey Server, IResult? Refusal) TargetServer(HttpContext context, HubCaller caller, UserNamePolicy names, string? user, string? server)
    {
        string owner = caller.User.Name;
        if (user is not null && (!names.TryNormalize(user, out owner, out _) || !MayManage(caller, owner)))
        {
            PageHeaders.ForPage(context.Response);
            return (default, PageLayout.Message("Not your server", "Only its owner and the hub's admins can start this server.", StatusCodes.Status403Forbidden));
        }
        if (!ApiTargets.TryServerName(server, out string name, out _))
        {
            PageHeaders.ForPage(context.Response);
            return (default, PageLayout.Message("No such server", "A server name has no slashes, spaces, ?, # or %.", StatusCodes.Status400BadRequest));
        }
        return (new ServerKey(owner, name), null);
    }

    /// <summary>Whether the browser says another site (or a sibling subdomain) sent this request (<c>Sec-Fetch-Site</c>).</summary>
    public static bool IsFromAnotherSite(HttpRequest request) => request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site";

    /// <summary>Whether <paramref name="caller"/> may look at and start <paramref name="owner"/>'s servers from the pages: the owner or an admin.</summary>
    public static bool MayManage(HubCaller caller, string owner) =>
        caller.User.Admin || string.Equals(caller.User.Name, owner, StringComparison.Ordinal);
}
