using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Core.Auth;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Functions.Logging;
using Hub.Functions.Metrics;

namespace Hub.Functions.Auth;

/// <summary>
/// <c>/hub/oauth_login</c> sends the browser to the provider with a fresh state, nonce and PKCE challenge, kept
/// sealed (encrypted and authenticated with the hub key) in a short-lived cookie scoped to the callback;
/// <c>/hub/oauth_callback</c> checks the state, redeems the code and logs the person in.
/// </summary>
public static class OidcEndpoints
{
    public const string StateCookie = "hub-oauth-state";
    public const string CallbackPath = "/hub/oauth_callback";
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    public static async Task<IResult> StartAsync(HttpContext context, HubOptions hub, HubCookieWriter cookies, TimeProvider time, IServiceProvider services)
    {
        LoginEndpoints.NoStore(context);
        if (services.GetService<OidcSignIn>() is not { } signIn)
        {
            return Results.NotFound();
        }
        string? next = RedirectTarget.Sanitize(context.Request.Query["next"], hub.PublicUrl);
        string state = SecretHash.NewSecret();
        string nonce = SecretHash.NewSecret();
        string verifier = SecretHash.NewSecret();
        string challenge = SecretHash.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        Uri target;
        try
        {
            target = await signIn.AuthorizationUrlAsync(state, nonce, challenge, context.RequestAborted);
        }
        catch (OidcSignInException ex)
        {
            Log.OidcFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcEndpoints)), ex.Message, ex.InnerException?.Message ?? "");
            return LoginPage.SignInWith(signIn.DisplayName, next, ex.Message, StatusCodes.Status503ServiceUnavailable);
        }
        var pending = new PendingSignIn(state, nonce, verifier, next, time.GetUtcNow().ToUnixTimeSeconds());
        cookies.SetScoped(context.Response, StateCookie, Sealer(services).Seal(JsonSerializer.Serialize(pending)), CallbackPath, StateLifetime);
        return Results.Redirect(target.AbsoluteUri);
    }

    public static async Task<IResult> CallbackAsync(HttpContext context, HubCookieWriter cookies, TimeProvider time, IServiceProvider services)
    {
        LoginEndpoints.NoStore(context);
        if (services.GetService<OidcSignIn>() is not { } signIn)
        {
            return Results.NotFound();
        }
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcEndpoints));
        var metrics = services.GetRequiredService<HubMetrics>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var query = context.Request.Query;
        var pending = Open(Sealer(services).Open(context.Request.Cookies[StateCookie]));
        cookies.DeleteScoped(context.Response, StateCookie, CallbackPath);

        IResult Refuse(string message, string logReason)
        {
            metrics.LoginFinished("failure", System.Diagnostics.Stopwatch.GetElapsedTime(started));
            Log.OidcFailed(logger, message, LogText.Cap(logReason));
            return LoginPage.SignInWith(signIn.DisplayName, pending?.Next, message, StatusCodes.Status403Forbidden);
        }

        if (pending is null || time.GetUtcNow().ToUnixTimeSeconds() - pending.Created > StateLifetime.TotalSeconds)
        {
            return Refuse("Your sign-in expired or was started elsewhere. Please sign in again.", "no valid state cookie");
        }
        string state = query["state"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(pending.State)))
        {
            return Refuse("Your sign-in expired or was started elsewhere. Please sign in again.", "state mismatch");
        }
        if (query["error"].ToString() is { Length: > 0 } error)
        {
            return Refuse("The identity provider did not sign you in.", error);
        }
        string code = query["code"].ToString();
        if (code.Length is 0 or > 4096)
        {
            return Refuse("The identity provider sent no usable sign-in code.", "missing code");
        }

        AuthenticatedPerson person;
        try
        {
            person = await signIn.CompleteAsync(code, pending.Verifier, pending.Nonce, context.RequestAborted);
        }
        catch (OidcSignInException ex)
        {
            return Refuse(ex.Message, ex.InnerException?.Message ?? ex.Message);
        }
        var user = await services.GetRequiredService<LoginCompleter>().CompleteAsync(context, person, groupsFromProvider: true);
        if (user is null)
        {
            return Refuse("Your account is not allowed on this hub.", "not on the allow list, or blocked: " + person.Name);
        }
        metrics.LoginFinished("success", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        Log.LoggedIn(logger, LogText.Cap(user.Name), signIn.DisplayName);
        return Results.Redirect(pending.Next ?? LoginEndpoints.DefaultTarget);
    }

    private static SealedData Sealer(IServiceProvider services) => services.GetRequiredKeyedService<SealedData>(StateCookie);

    private static PendingSignIn? Open(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PendingSignIn>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record PendingSignIn(string State, string Nonce, string Verifier, string? Next, long Created);
}
