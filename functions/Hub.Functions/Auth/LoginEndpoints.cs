using System.Diagnostics;
using Hub.Core.Auth;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Logging;
using Hub.Functions.Metrics;
using Hub.Functions.Pages;

namespace Hub.Functions.Auth;

/// <summary>
/// <c>GET/POST /hub/login</c>, <c>GET/POST /hub/logout</c>, and for OpenID Connect <c>GET /hub/oauth_login</c> and
/// <c>GET /hub/oauth_callback</c>. Status codes as JupyterHub's: login form 200 (with the <c>_xsrf</c> cookie),
/// success 302 to the validated <c>next</c>, bad credentials 403 with the form again, missing XSRF 403,
/// too many failures 429 with <c>Retry-After</c>.
/// </summary>
public static class LoginEndpoints
{
    /// <summary>Where a login lands without a (valid) <c>next</c>.</summary>
    public const string DefaultTarget = "/hub/home";

    private const int MaxFormBytes = 16 * 1024;
    private const int MaxPasswordLength = 1024;

    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hub/login", ShowAsync);
        endpoints.MapPost("/hub/login", SubmitAsync);
        endpoints.MapGet("/hub/logout", LogoutAsync);
        endpoints.MapPost("/hub/logout", LogoutAsync);
        endpoints.MapGet("/hub/oauth_login", OidcEndpoints.StartAsync);
        endpoints.MapGet("/hub/oauth_callback", OidcEndpoints.CallbackAsync);
        return endpoints;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, RequestAuthenticator authenticator, AuthOptions options, HubOptions hub, IServiceProvider services)
    {
        NoStore(context);
        string? next = RedirectTarget.Sanitize(context.Request.Query["next"], hub.PublicUrl);
        var current = await authenticator.AuthenticateAsync(context);
        if (current.Caller is not null)
        {
            return Results.Redirect(next ?? DefaultTarget);
        }
        if (options.Authenticator is AuthenticatorKind.Entra or AuthenticatorKind.Oidc)
        {
            return LoginPage.SignInWith(services.GetRequiredService<OidcSignIn>().DisplayName, next, null);
        }
        return LoginPage.Form(EnsureXsrf(context, services), next, null);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, AuthOptions options, HubOptions hub, IServiceProvider services)
    {
        NoStore(context);
        var started = Stopwatch.GetTimestamp();
        var metrics = services.GetRequiredService<HubMetrics>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LoginEndpoints));
        if (options.Authenticator is AuthenticatorKind.Entra or AuthenticatorKind.Oidc || services.GetService<IPasswordAuthenticator>() is not { } passwords)
        {
            return LoginPage.Message("Sign in", "This hub signs in through its identity provider; use the sign-in button.", StatusCodes.Status400BadRequest);
        }
        if (!context.Request.HasFormContentType || context.Request.ContentLength is null or > MaxFormBytes)
        {
            return LoginPage.Message("Sign in", "The login form must be posted as a form of at most 16 KiB.", StatusCodes.Status400BadRequest);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string? next = RedirectTarget.Sanitize(context.Request.Query["next"].ToString() is { Length: > 0 } q ? q : form["next"], hub.PublicUrl);

        var xsrf = services.GetRequiredService<XsrfTokens>();
        string? cookie = context.Request.Cookies[HubCookies.Xsrf];
        string? submitted = form["_xsrf"];
        string? sessionHash = await CurrentSessionHashAsync(context, services);
        // Another site's form may not log the browser in as someone else (login CSRF), whatever token it carries.
        bool crossSite = context.Request.Headers["Sec-Fetch-Site"].ToString() == "cross-site";
        if (crossSite || (!xsrf.Verify(cookie, submitted, null) && !xsrf.Verify(cookie, submitted, sessionHash)))
        {
            Log.XsrfRefused(logger, "POST", "/hub/login", crossSite ? "cross-site login form" : submitted is null ? "'_xsrf' argument missing from POST" : "XSRF cookie does not match POST argument");
            return LoginPage.Form(EnsureXsrf(context, services, force: true), next,
                "Your sign-in form expired or came from another site. Please try again.", StatusCodes.Status403Forbidden);
        }

        string rawName = form["username"].ToString();
        string password = form["password"].ToString();
        string client = ClientAddress.Of(context);
        var policy = services.GetRequiredService<UserNamePolicy>();
        if (rawName.Length > UserNamePolicy.MaxLength * 2 || password.Length > MaxPasswordLength || !policy.TryNormalize(rawName, out string name, out _))
        {
            metrics.LoginFinished("failure", Stopwatch.GetElapsedTime(started));
            Log.LoginRefused(logger, LogText.Cap(rawName), client, "not a valid user name or password");
            return LoginPage.Form(EnsureXsrf(context, services), next, "Invalid username or password.", StatusCodes.Status403Forbidden);
        }

        var limiter = services.GetRequiredService<LoginRateLimiter>();
        if (limiter.RetryAfter(name, client) is { } wait)
        {
            metrics.LoginThrottled();
            Log.LoginThrottled(logger, LogText.Cap(name), client, wait);
            context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return LoginPage.Form(EnsureXsrf(context, services), next,
                $"Too many failed sign-in attempts. Try again in {Math.Ceiling(wait.TotalMinutes):0} minute(s).", StatusCodes.Status429TooManyRequests, name);
        }

        var person = passwords.Authenticate(name, password);
        var user = person is null ? null : await services.GetRequiredService<LoginCompleter>().CompleteAsync(context, person, groupsFromProvider: false);
        if (user is null)
        {
            limiter.RecordFailure(name, client);
            metrics.LoginFinished("failure", Stopwatch.GetElapsedTime(started));
            Log.LoginRefused(logger, LogText.Cap(name), client, person is null ? "wrong password" : "not on the allow list, or blocked");
            return LoginPage.Form(EnsureXsrf(context, services), next, "Invalid username or password.", StatusCodes.Status403Forbidden, name);
        }
        metrics.LoginFinished("success", Stopwatch.GetElapsedTime(started));
        Log.LoggedIn(logger, LogText.Cap(user.Name), passwords.Name);
        return Results.Redirect(next ?? DefaultTarget);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, SessionManager sessions, HubCookieWriter cookies, AuthOptions options, IHubStore store, IServiceProvider services)
    {
        NoStore(context);
        if (await LogoutConfirmationAsync(context, services) is { } confirmation)
        {
            return confirmation;
        }
        var started = Stopwatch.GetTimestamp();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LoginEndpoints));
        var ended = await sessions.EndAsync(context.Request.Cookies[HubCookies.Session], context.RequestAborted);
        cookies.ClearAll(context.Response);
        if (ended is not null)
        {
            Log.LoggedOut(logger, LogText.Cap(ended.User));
            if (options.StopServersOnLogout && services.GetService<IServerLifecycle>() is { } lifecycle)
            {
                await foreach (var server in store.Servers.ListForUserAsync(ended.User, context.RequestAborted))
                {
                    if (server.Desired == ServerDesiredState.Running)
                    {
                        await lifecycle.RequestStopAsync(server.Key, context.RequestAborted);
                    }
                }
            }
        }
        services.GetRequiredService<HubMetrics>().LogoutFinished(Stopwatch.GetElapsedTime(started));
        return Results.Redirect("/hub/login");
    }

    /// <summary>
    /// Another site must not log a student out (with <c>Auth__StopServersOnLogout</c> that also stops their servers):
    /// a request from another site, and a POST without the session's <c>_xsrf</c>, get a page that asks, whose form
    /// posts back with it. Links on the hub's own pages and JupyterLab's "Log Out" are same-origin GETs and log out.
    /// </summary>
    private static async Task<IResult?> LogoutConfirmationAsync(HttpContext context, IServiceProvider services)
    {
        var request = context.Request;
        string origin = request.Headers.Origin.ToString();
        var publicUrl = services.GetRequiredService<HubOptions>().PublicUrl;
        bool foreign = PageAccess.IsFromAnotherSite(request)
            || (origin.Length > 0 && !string.Equals(origin, publicUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
        bool post = HttpMethods.IsPost(request.Method);
        if (!foreign && !post)
        {
            return null;
        }
        var authentication = await services.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context);
        if (!foreign && authentication.XsrfProblem is null)
        {
            return null;
        }
        var session = await services.GetRequiredService<SessionManager>().FindAsync(request.Cookies[HubCookies.Session] ?? "", context.RequestAborted);
        if (session is null)
        {
            return Results.Redirect("/hub/login");
        }
        return LogoutPage.Confirm(PageAccess.XsrfToken(context, session.IdHash), post ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK);
    }

    /// <summary>The current anti-forgery token, issuing (and setting) one when the cookie is missing or not ours.</summary>
    public static string EnsureXsrf(HttpContext context, IServiceProvider services, bool force = false)
    {
        var xsrf = services.GetRequiredService<XsrfTokens>();
        string? cookie = context.Request.Cookies[HubCookies.Xsrf];
        if (!force && xsrf.IsBoundTo(cookie, null))
        {
            return cookie!;
        }
        string token = xsrf.Issue(null);
        services.GetRequiredService<HubCookieWriter>().SetXsrf(context.Response, token);
        return token;
    }

    private static async Task<string?> CurrentSessionHashAsync(HttpContext context, IServiceProvider services)
    {
        var session = await services.GetRequiredService<SessionManager>().FindAsync(context.Request.Cookies[HubCookies.Session], context.RequestAborted);
        return session?.IdHash;
    }

    /// <summary>Login pages are never cached and never framed by other sites.</summary>
    public static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'self'; form-action 'self'";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
    }
}
