using System.Runtime.CompilerServices;
using Hub.Core.Auth.Credentials;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Services;
using Hub.Core.Store;
using Hub.Gateway.Logging;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Auth;

/// <summary>
/// Finds who sent a request to the gateway: reads its token (<see cref="TokenHeader"/>) and session cookie
/// (<see cref="HubCookies.Session"/>) and asks the hub's one <see cref="CredentialResolver"/>, which the gateway runs
/// over its caches (<see cref="CachedCredentialLookup"/>) and with the session-cookie fallback. A store that does not
/// answer (and no stale answer to serve) makes the outcome <see cref="AuthenticationOutcome.Unavailable"/>.
/// </summary>
public sealed class RequestCredentials(CredentialResolver resolver, CachedCredentialLookup lookup, ServiceCatalog services, ILogger<RequestCredentials> logger)
{
    private const string UnavailableReason = "The hub cannot check your login right now because its store is not answering. Nothing is lost; try again in a few seconds.";

    // Kestrel hands every request on a connection the same string for an unchanged header, so the session found in a
    // Cookie header is kept with that string: the cookies are parsed and the session hashed once per connection, not
    // once per request. Keyed by the instance (held weakly), so nothing outlives the header it came from.
    private readonly ConditionalWeakTable<string, PresentedSessionEntry> _sessionCookies = new();

    // The identity with shares is kept with the cached shares it came from, for the user and token it was made for.
    private readonly ConditionalWeakTable<SharedScopes, SharedIdentity> _sharedIdentities = new();

    /// <remarks>A <see cref="ValueTask{TResult}"/>: with the credential cached, as for nearly every request, nothing is allocated.</remarks>
    public async ValueTask<AuthenticationResult> AuthenticateAsync(HttpRequest request)
    {
        try
        {
            var resolution = await resolver.ResolveAsync(TokenHeader.TokenOf(request.Headers[HeaderNames.Authorization]), SessionOf(request), CancellationToken.None)
                .ConfigureAwait(false);
            return new AuthenticationResult((AuthenticationOutcome)resolution.Outcome, resolution.Identity, resolution.Reason);
        }
        catch (Exception ex)
        {
            // A lookup that missed its deadline ends as a cancellation: the store's, not the client's.
            Log.CredentialLookupFailed(logger, FailureText.Of(ex));
            return new AuthenticationResult(AuthenticationOutcome.Unavailable, Reason: UnavailableReason);
        }
    }

    /// <summary>
    /// <paramref name="identity"/> with the scopes of the shares its user holds (<see cref="SharedAccess.Widen"/>), or
    /// <paramref name="identity"/> itself when there are none. Throws when the store cannot be asked and nothing recent
    /// is known (the caller answers 503).
    /// </summary>
    public async ValueTask<CredentialIdentity> WithSharesAsync(CredentialIdentity identity)
    {
        var shared = await lookup.FindSharedScopesAsync(identity.User).ConfigureAwait(false);
        if (shared is null || shared.Scopes.Count == 0)
        {
            return identity;
        }
        if (_sharedIdentities.TryGetValue(shared, out var known) && ReferenceEquals(known.User, identity.User) && ReferenceEquals(known.Token, identity.Token))
        {
            return known.Identity;
        }
        var result = identity with { Scopes = SharedAccess.Widen(identity, shared.Scopes, services) };
        _sharedIdentities.AddOrUpdate(shared, new SharedIdentity(identity.User, identity.Token, result));
        return result;
    }

    /// <summary>The request's session cookie, hashed; <c>null</c> when it has none.</summary>
    private PresentedSession? SessionOf(HttpRequest request)
    {
        var headers = request.Headers.Cookie;
        if (headers.Count != 1 || headers[0] is not { } header)
        {
            return PresentedSession.Of(request.Cookies[HubCookies.Session]);
        }
        if (!_sessionCookies.TryGetValue(header, out var known))
        {
            // The cookies are a function of the one header value, so the parse's answer holds for this string wherever it recurs.
            known = new PresentedSessionEntry(PresentedSession.Of(request.Cookies[HubCookies.Session]));
            _sessionCookies.AddOrUpdate(header, known);
        }
        return known.Session;
    }

    /// <summary>A cache entry, so that "no session cookie" can be remembered too.</summary>
    private sealed record PresentedSessionEntry(PresentedSession? Session);

    private sealed record SharedIdentity(UserRecord User, TokenRecord? Token, CredentialIdentity Identity);
}
