using System.Runtime.CompilerServices;
using Hub.Core.Auth;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;
using Hub.Gateway.Metrics;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Auth;

/// <summary>
/// Identifies the sender of a request from the hub's session cookie (<see cref="HubCookies.Session"/>) or an API
/// token (<c>Authorization: token …</c> or <c>Bearer …</c>). Both are looked up by their hash
/// (<see cref="SecretHash"/>) in the store; answers (including "no such session") are reused for
/// <see cref="GatewayOptions.CredentialCacheDuration"/>, so a revoked session stops working within that time.
/// A lookup waits at most <see cref="GatewayOptions.StoreLookupTimeout"/>; when the store does not answer, credentials
/// validated within <see cref="GatewayOptions.StaleCredentialWindow"/> keep working (see <see cref="ExpiringCache{TValue}"/>).
/// The shares a user holds are looked up only when the user opens a server that is not theirs
/// (<see cref="WithSharesAsync"/>), and reused for the same time, so a revoked share stops working within it too.
/// </summary>
public sealed class RequestAuthenticator
{
    private readonly IHubStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RequestAuthenticator> _logger;
    private readonly ExpiringCache<SessionRecord> _sessions;
    private readonly ExpiringCache<TokenRecord> _tokens;
    private readonly ExpiringCache<UserRecord> _users;
    private readonly ExpiringCache<SharedScopes> _shares;

    // The identity with shares is kept with the cached shares it came from, for the user and token it was made for.
    private readonly ConditionalWeakTable<SharedScopes, SharedIdentity> _sharedIdentities = new();

    // Expanding scopes costs more than the rest of authentication; the expansion is kept with the cached record it
    // came from, so a record the caches refresh is expanded again and nothing is kept longer than the record itself.
    private readonly ConditionalWeakTable<UserRecord, GatewayIdentity> _sessionIdentities = new();
    private readonly ConditionalWeakTable<TokenRecord, TokenIdentity> _tokenIdentities = new();

    // Kestrel hands every request on a connection the same string for an unchanged header, so the session found in a
    // Cookie header is kept with that string: the cookies are parsed and the session hashed once per connection, not
    // once per request. Keyed by the instance (held weakly), so nothing outlives the header it came from.
    private readonly ConditionalWeakTable<string, SessionCookie> _sessionCookies = new();

    public RequestAuthenticator(
        IHubStore store, GatewayOptions options, CredentialStoreState state, GatewayMetrics metrics, TimeProvider time, ILogger<RequestAuthenticator> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        var policy = new CachePolicy(options.StoreLookupTimeout, options.StaleCredentialWindow, state, () =>
        {
            metrics.StaleCredentialServed();
            if (state.ServedStale(StaleLogInterval))
            {
                Log.ServingStaleCredentials(logger, options.StaleCredentialWindow);
            }
        });
        _sessions = new(options.CredentialCacheDuration, policy, time);
        _tokens = new(options.CredentialCacheDuration, policy, time);
        _users = new(options.CredentialCacheDuration, policy, time);
        _shares = new(options.CredentialCacheDuration, policy, time);
    }

    private static readonly TimeSpan StaleLogInterval = TimeSpan.FromMinutes(1);

    /// <remarks>A <see cref="ValueTask{TResult}"/>: with the credential cached, as for nearly every request, nothing is allocated.</remarks>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(HttpRequest request)
    {
        try
        {
            // As JupyterHub: a token that is not the hub's (it may be meant for the server itself) falls back to the session.
            AuthenticationResult? fromToken = null;
            if (TokenFrom(request) is { } token)
            {
                fromToken = await FromTokenAsync(token).ConfigureAwait(false);
                if (fromToken.Value.Outcome == AuthenticationOutcome.Authenticated)
                {
                    return fromToken.Value;
                }
            }
            if (SessionCookieOf(request) is { } session)
            {
                return await FromSessionAsync(session).ConfigureAwait(false);
            }
            return fromToken ?? new AuthenticationResult(AuthenticationOutcome.None);
        }
        catch (Exception ex)
        {
            // A lookup that missed its deadline ends as a cancellation: the store's, not the client's.
            Log.CredentialLookupFailed(_logger, FailureText.Of(ex));
            return new AuthenticationResult(AuthenticationOutcome.Unavailable, Reason: "The hub cannot check your login right now because its store is not answering. Nothing is lost; try again in a few seconds.");
        }
    }

    /// <summary>The request's session cookie, hashed; <c>null</c> when it has none.</summary>
    private SessionCookie? SessionCookieOf(HttpRequest request)
    {
        var headers = request.Headers.Cookie;
        if (headers.Count != 1 || headers[0] is not { } header)
        {
            return SessionCookie.Of(request.Cookies[HubCookies.Session]);
        }
        if (!_sessionCookies.TryGetValue(header, out var known))
        {
            // The cookies are a function of the one header value, so the parse's answer holds for this string wherever it recurs.
            known = SessionCookie.Of(request.Cookies[HubCookies.Session]) ?? SessionCookie.None;
            _sessionCookies.AddOrUpdate(header, known);
        }
        return ReferenceEquals(known, SessionCookie.None) ? null : known;
    }

    private async ValueTask<AuthenticationResult> FromSessionAsync(SessionCookie session)
    {
        if (session.Hash is null)
        {
            return Invalid("The session cookie is not valid.");
        }
        var record = await _sessions.GetAsync(session.Hash, (hash, cancellation) => _store.Sessions.GetAsync(hash, cancellation)).ConfigureAwait(false);
        if (record is null || record.Expires <= _time.GetUtcNow())
        {
            return Invalid("The session has ended; log in again.");
        }
        return await IdentityAsync(record.User, token: null).ConfigureAwait(false);
    }

    private async ValueTask<AuthenticationResult> FromTokenAsync(string token)
    {
        if (token.Length > SecretHash.MaxSecretLength)
        {
            return Invalid("The token is not valid.");
        }
        var record = await _tokens.GetAsync(SecretHash.Of(token), (hash, cancellation) => _store.Tokens.GetAsync(hash, cancellation)).ConfigureAwait(false);
        if (record is null || record.Expires <= _time.GetUtcNow())
        {
            return Invalid("The token is not valid or has expired.");
        }
        return await IdentityAsync(record.User, record).ConfigureAwait(false);
    }

    private async ValueTask<AuthenticationResult> IdentityAsync(string userName, TokenRecord? token)
    {
        var user = await _users.GetAsync(userName, (name, cancellation) => _store.Users.GetAsync(name, cancellation)).ConfigureAwait(false);
        if (user is null)
        {
            return Invalid("The user no longer exists.");
        }
        var owner = _sessionIdentities.GetValue(user, static u => new GatewayIdentity(u.Name, ScopeSet.ForUser(u), ViaToken: false) { Record = u });
        if (token is null)
        {
            return new AuthenticationResult(AuthenticationOutcome.Authenticated, owner);
        }
        if (!_tokenIdentities.TryGetValue(token, out var known) || !ReferenceEquals(known.Owner, user))
        {
            // A token holds its own scopes narrowed to what its owner may do now: the owner's record is part of the key.
            var scopes = ScopeSet.FromScopes(token.Scopes, user.Name, owner.Scopes).IntersectWith(owner.Scopes);
            known = new TokenIdentity(user, new GatewayIdentity(user.Name, scopes, ViaToken: true) { Record = user, Token = token });
            _tokenIdentities.AddOrUpdate(token, known);
        }
        return new AuthenticationResult(AuthenticationOutcome.Authenticated, known.Identity);
    }

    /// <summary>
    /// <paramref name="identity"/> with the scopes of the shares its user holds, directly or through a group (a token's
    /// own scopes narrowed again to them), as JupyterHub adds shares to a user's permissions. Throws when the store
    /// cannot be asked and nothing recent is known (the caller answers 503).
    /// </summary>
    public async ValueTask<GatewayIdentity> WithSharesAsync(GatewayIdentity identity)
    {
        if (identity.WithShares || identity.Record is not { } user)
        {
            return identity;
        }
        string key = user.Groups.Count == 0 ? user.Name : user.Name + "\n" + string.Join("\n", user.Groups);
        var shared = await _shares.GetAsync(key, async (_, cancellation) =>
            new SharedScopes(await SharedAccess.ScopesOfAsync(_store, user, cancellation).ConfigureAwait(false))).ConfigureAwait(false);
        if (shared is null || shared.Scopes.Count == 0)
        {
            return identity with { WithShares = true };
        }
        if (_sharedIdentities.TryGetValue(shared, out var known) && ReferenceEquals(known.User, user) && ReferenceEquals(known.Token, identity.Token))
        {
            return known.Identity;
        }
        var owner = SharedAccess.ForUser(user, shared.Scopes);
        var scopes = identity.Token is { } token ? ScopeSet.FromScopes(token.Scopes, user.Name, owner).IntersectWith(owner) : owner;
        var result = identity with { Scopes = scopes, WithShares = true };
        _sharedIdentities.AddOrUpdate(shared, new SharedIdentity(user, identity.Token, result));
        return result;
    }

    /// <summary>
    /// <paramref name="identity"/> as it stands now (its user, its token and the shares, each as fresh as the caches
    /// allow), or <c>null</c> when the user or token is gone: for connections that outlive one check (WebSockets).
    /// </summary>
    public async ValueTask<GatewayIdentity?> RecheckAsync(GatewayIdentity identity)
    {
        TokenRecord? token = null;
        if (identity.Token is { } known)
        {
            token = await _tokens.GetAsync(known.Hash, (hash, cancellation) => _store.Tokens.GetAsync(hash, cancellation)).ConfigureAwait(false);
            if (token is null || token.Expires <= _time.GetUtcNow())
            {
                return null;
            }
        }
        var result = await IdentityAsync(identity.User, token).ConfigureAwait(false);
        if (result.Identity is not { } current)
        {
            return null;
        }
        return identity.WithShares ? await WithSharesAsync(current).ConfigureAwait(false) : current;
    }

    private static AuthenticationResult Invalid(string reason) => new(AuthenticationOutcome.Invalid, Reason: reason);

    /// <summary>The token of <c>Authorization: token X</c> or <c>Authorization: Bearer X</c>, as JupyterHub accepts them.</summary>
    private static string? TokenFrom(HttpRequest request)
    {
        string? header = request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }
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
        string token = header[(space + 1)..].Trim();
        return token.Length == 0 ? null : token;
    }

    private sealed record TokenIdentity(UserRecord Owner, GatewayIdentity Identity);

    /// <summary>The scopes of the shares one user holds (a class: the cache holds references).</summary>
    private sealed record SharedScopes(IReadOnlyList<string> Scopes);

    private sealed record SharedIdentity(UserRecord User, TokenRecord? Token, GatewayIdentity Identity);

    /// <summary>A session cookie as the store knows it: its hash, or <c>null</c> when it is too long to be one.</summary>
    private sealed class SessionCookie(string? hash)
    {
        /// <summary>Stands for "no session cookie" in the cache, which holds no nulls.</summary>
        public static readonly SessionCookie None = new(null);

        public string? Hash { get; } = hash;

        public static SessionCookie? Of(string? value) => value switch
        {
            null or "" => null,
            { Length: > SecretHash.MaxSecretLength } => new SessionCookie(null),
            _ => new SessionCookie(SecretHash.Of(value)),
        };
    }
}
