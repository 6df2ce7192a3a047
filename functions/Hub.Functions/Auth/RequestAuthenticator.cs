using Hub.Core.Auth;
using Hub.Core.Auth.Credentials;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Functions.Logging;
using Hub.Core.Services;
using Hub.Functions.Services;

namespace Hub.Functions.Auth;

/// <summary>
/// Finds who sent a request to the control plane: its token (<c>Authorization: token …</c> or <c>Bearer …</c>) or
/// session cookie, resolved by the hub's one <see cref="CredentialResolver"/> (the same rules as the gateway's:
/// length cap, expiry, blocked users, scopes) over the store itself (<see cref="StoreCredentialLookup"/>); a token,
/// when sent, decides. Cookie-authenticated requests that change state must carry the <c>_xsrf</c> token (header
/// <c>X-XSRFToken</c> or form field) matching the cookie and bound to the session; fetch-metadata headers can only
/// refuse more, never waive the token (GHSA-m68r-v472-jgq9).
/// </summary>
public sealed class RequestAuthenticator(
    CredentialResolver resolver, IHubStore store, XsrfTokens xsrf, TimeProvider time, ILogger<RequestAuthenticator> logger, ServiceCatalog? services = null)
{
    /// <summary>A token's last activity is written at most this often (JupyterHub's <c>activity_resolution</c>).</summary>
    public static readonly TimeSpan ActivityResolution = TimeSpan.FromSeconds(30);

    private static readonly object CacheKey = new();

    public async Task<RequestAuthentication> AuthenticateAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(CacheKey, out var cached) && cached is RequestAuthentication known)
        {
            return known;
        }
        var result = await AuthenticateUncachedAsync(context);
        context.Items[CacheKey] = result;
        return result;
    }

    private async Task<RequestAuthentication> AuthenticateUncachedAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var request = context.Request;
        string? token = TokenHeader.TokenOf(request.Headers.Authorization);
        if (token is not null && ServiceCaller(token) is { } service)
        {
            return new RequestAuthentication(service);
        }
        var resolution = await resolver.ResolveAsync(token, PresentedSession.Of(request.Cookies[HubCookies.Session]), cancellationToken);
        if (resolution.Identity is not { } identity)
        {
            return RequestAuthentication.Anonymous;
        }
        if (identity.Kind == CredentialKind.Token)
        {
            return new RequestAuthentication(await TokenCallerAsync(identity, cancellationToken));
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method))
        {
            string? problem = await XsrfProblemAsync(context, resolution.SessionIdHash);
            if (problem is not null)
            {
                Log.XsrfRefused(logger, request.Method, LogText.Cap(request.Path.Value), problem);
                return new RequestAuthentication(null, problem);
            }
        }
        else if (request.Headers["Sec-Fetch-Site"].ToString() == "cross-site" && request.Path.StartsWithSegments("/hub/api"))
        {
            // Another site's page cannot read API answers anyway; refusing the cookie here costs nothing.
            return RequestAuthentication.Anonymous;
        }
        return new RequestAuthentication(new HubCaller(identity.User, await WithSharesAsync(identity, cancellationToken), CallerCredential.Session, SessionIdHash: resolution.SessionIdHash));
    }

    /// <summary>Why the request's XSRF token is not acceptable, or <c>null</c> when it is.</summary>
    public async Task<string?> XsrfProblemAsync(HttpContext context, string? sessionIdHash)
    {
        var request = context.Request;
        if (request.Headers["Sec-Fetch-Site"].ToString() == "cross-site")
        {
            return "Cross-site requests cannot change state.";
        }
        string? submitted = request.Headers["X-XSRFToken"].ToString() is { Length: > 0 } header ? header : null;
        if (submitted is null && request.HasFormContentType && (request.ContentLength ?? 0) <= 64 * 1024)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            submitted = form["_xsrf"].ToString() is { Length: > 0 } field ? field : null;
        }
        if (submitted is null)
        {
            return $"'_xsrf' argument missing from {request.Method}";
        }
        return xsrf.Verify(request.Cookies[HubCookies.Xsrf], submitted, sessionIdHash) ? null : $"XSRF cookie does not match {request.Method} argument";
    }

    /// <summary>Who a token (not this request's) belongs to, with its scopes; <c>null</c> for an unknown, expired or blocked one.</summary>
    public async Task<HubCaller?> IdentifyTokenAsync(string token, CancellationToken cancellationToken) =>
        ServiceCaller(token)
        ?? ((await resolver.ResolveTokenAsync(token, cancellationToken)).Identity is { } identity ? await TokenCallerAsync(identity, cancellationToken) : null);

    /// <summary>
    /// A service's API token stands for the service, not for a user, so it is recognised before the user credentials
    /// (<see cref="ServiceCallers"/>); it is a setting, not a stored row.
    /// </summary>
    private HubCaller? ServiceCaller(string token) =>
        services?.FindByToken(token) is { } service ? ServiceCallers.For(service, time.GetUtcNow()) : null;

    private async Task<HubCaller> TokenCallerAsync(CredentialIdentity identity, CancellationToken cancellationToken)
    {
        var token = identity.Token!;
        var now = time.GetUtcNow();
        // Only stored API tokens have a row to note the activity in (a server's token is derived, not stored).
        if (token.Hash.Length > 0 && (token.LastActivity is null || now - token.LastActivity >= ActivityResolution))
        {
            token = await store.Tokens.ChangeAsync(token.Hash, t => t with { LastActivity = now }, cancellationToken) ?? token;
        }
        return new HubCaller(identity.User, await WithSharesAsync(identity, cancellationToken), CallerCredential.Token, Token: token);
    }

    /// <summary>
    /// <paramref name="identity"/>'s scopes with those of the shares its user holds, directly or through a group, as
    /// JupyterHub 5 adds shares to a user's permissions (a token's own scopes narrowed again to them).
    /// </summary>
    private async Task<ScopeSet> WithSharesAsync(CredentialIdentity identity, CancellationToken cancellationToken)
    {
        var shared = await SharedAccess.ScopesOfAsync(store, identity.User, cancellationToken);
        return shared.Count == 0 ? identity.Scopes : SharedAccess.Widen(identity, shared, services);
    }
}
