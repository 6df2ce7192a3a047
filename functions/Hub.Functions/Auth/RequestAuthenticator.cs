using Hub.Core.Auth;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Logging;

namespace Hub.Functions.Auth;

/// <summary>
/// Finds who sent a request: an API token (<c>Authorization: token …</c> or <c>Bearer …</c>) or the session
/// cookie. Cookie-authenticated requests that change state must carry the <c>_xsrf</c> token (header
/// <c>X-XSRFToken</c> or form field) matching the cookie and bound to the session; fetch-metadata headers can
/// only refuse more, never waive the token (GHSA-m68r-v472-jgq9). Blocked users are nobody.
/// </summary>
public sealed class RequestAuthenticator(
    IHubStore store,
    SessionManager sessions,
    XsrfTokens xsrf,
    LoginAccessPolicy policy,
    TimeProvider time,
    ILogger<RequestAuthenticator> logger,
    ServerTokenSource? serverTokens = null)
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
        if (BearerToken(context.Request) is { } token)
        {
            var caller = await FromTokenAsync(token, cancellationToken);
            return caller is null ? RequestAuthentication.Anonymous : new RequestAuthentication(caller);
        }

        string? sessionId = context.Request.Cookies[HubCookies.Session];
        if (sessionId is null)
        {
            return RequestAuthentication.Anonymous;
        }
        var session = await sessions.FindAsync(sessionId, cancellationToken);
        if (session is null)
        {
            return RequestAuthentication.Anonymous;
        }
        var user = await store.Users.GetAsync(session.User, cancellationToken);
        if (!policy.Admits(user))
        {
            return RequestAuthentication.Anonymous;
        }
        var sessionCaller = new HubCaller(user, await ScopesOfAsync(user, cancellationToken), CallerCredential.Session, SessionIdHash: session.IdHash);
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
        {
            string? problem = await XsrfProblemAsync(context, session.IdHash);
            if (problem is not null)
            {
                Log.XsrfRefused(logger, context.Request.Method, LogText.Cap(context.Request.Path.Value), problem);
                return new RequestAuthentication(null, problem);
            }
        }
        else if (context.Request.Headers["Sec-Fetch-Site"].ToString() == "cross-site" && context.Request.Path.StartsWithSegments("/hub/api"))
        {
            // Another site's page cannot read API answers anyway; refusing the cookie here costs nothing.
            return RequestAuthentication.Anonymous;
        }
        return new RequestAuthentication(sessionCaller);
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
    public Task<HubCaller?> IdentifyTokenAsync(string token, CancellationToken cancellationToken) => FromTokenAsync(token, cancellationToken);

    private async Task<HubCaller?> FromTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (serverTokens is not null && ServerTokens.TryReadServer(token, out var server))
        {
            return await FromServerTokenAsync(serverTokens, server, token, cancellationToken);
        }
        if (token.Length > SecretHash.MaxSecretLength)
        {
            return null;
        }
        var record = await store.Tokens.GetAsync(SecretHash.Of(token), cancellationToken);
        var now = time.GetUtcNow();
        if (record is null || record.Expires <= now)
        {
            return null;
        }
        var user = await store.Users.GetAsync(record.User, cancellationToken);
        if (!policy.Admits(user))
        {
            return null;
        }
        var owner = await ScopesOfAsync(user, cancellationToken);
        var scopes = ScopeSet.FromScopes(record.Scopes, user.Name, owner).IntersectWith(owner);
        if (record.LastActivity is null || now - record.LastActivity >= ActivityResolution)
        {
            record = await store.Tokens.ChangeAsync(record.Hash, t => t with { LastActivity = now }, cancellationToken) ?? record;
        }
        return new HubCaller(user, scopes, CallerCredential.Token, Token: record);
    }

    /// <summary>What <paramref name="user"/> may do: the user's roles and the shares granted to the user or the user's groups (JupyterHub 5).</summary>
    private async Task<ScopeSet> ScopesOfAsync(UserRecord user, CancellationToken cancellationToken) =>
        SharedAccess.ForUser(user, await SharedAccess.ScopesOfAsync(store, user, cancellationToken));

    /// <summary>
    /// A server's own token (its <c>JUPYTERHUB_API_TOKEN</c>): valid while that server is not stopped and was started
    /// with the nonce it was derived from, with the scopes of JupyterHub's <c>server</c> role for that server only.
    /// </summary>
    private async Task<HubCaller?> FromServerTokenAsync(ServerTokenSource source, ServerKey server, string token, CancellationToken cancellationToken)
    {
        var record = await store.Servers.GetAsync(server, cancellationToken);
        if (record?.TokenNonce is not { } nonce || record.Phase is ServerPhase.Stopped or ServerPhase.Failed || !source.Matches(server, nonce, token))
        {
            return null;
        }
        var user = await store.Users.GetAsync(server.User, cancellationToken);
        if (!policy.Admits(user))
        {
            return null;
        }
        var owner = ScopeSet.ForUser(user);
        var scopes = ScopeSet.FromScopes(ServerOAuthClient.ServerRoleScopes(server), user.Name, owner).IntersectWith(owner);
        var pseudo = new TokenRecord
        {
            Hash = "",
            Id = "server:" + server,
            User = user.Name,
            Scopes = ServerOAuthClient.ServerRoleScopes(server),
            Note = "Server at " + ServerUrls.BasePath(server),
            Created = record.Requested ?? time.GetUtcNow(),
        };
        return new HubCaller(user, scopes, CallerCredential.Token, Token: pseudo);
    }

    /// <summary>The token of <c>Authorization: token X</c> or <c>Authorization: Bearer X</c> (scheme case-insensitive).</summary>
    public static string? BearerToken(HttpRequest request)
    {
        string header = request.Headers.Authorization.ToString();
        int space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }
        var scheme = header.AsSpan(0, space);
        if (!scheme.Equals("token", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string value = header[(space + 1)..].Trim();
        return value.Length == 0 ? null : value;
    }
}
