using System.Runtime.CompilerServices;
using Hub.Core.Security;
using Hub.Core.Services;
using Hub.Core.Store;

namespace Hub.Core.Auth.Credentials;

/// <summary>
/// The one rule for who sent a request, used by the control plane and the gateway alike: a token (a kind the hub
/// issues, <see cref="ITokenKind"/>, or an API token, at most <see cref="SecretHash.MaxSecretLength"/> characters and
/// looked up by its hash) or the session cookie (<see cref="PresentedSession"/>); not expired; the user exists and is
/// not blocked (<see cref="LoginAccessPolicy.Admits"/>); scopes expanded as JupyterHub expands them. With a token and a
/// session, the token decides unless <see cref="CredentialResolverOptions.SessionCookieFallback"/>.
/// </summary>
/// <remarks>
/// Each app brings its own <see cref="ICredentialLookup"/> (the gateway caches; the control plane reads the store) and
/// its HTTP concerns (XSRF, per-request reuse, store failures as 503). With the lookup answering synchronously, as the
/// gateway's caches do for nearly every request, resolving allocates nothing.
/// </remarks>
public sealed class CredentialResolver
{
    private readonly ICredentialLookup _lookup;
    private readonly LoginAccessPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ITokenKind[] _kinds;
    private readonly CredentialResolverOptions _options;
    private readonly ConditionalWeakTable<UserRecord, CredentialIdentity>.CreateValueCallback _sessionIdentity;

    // Expanding scopes costs more than the rest of resolving; the expansion is kept with the record it came from, so a
    // record a cache refreshes is expanded again and nothing is kept longer than the record itself.
    private readonly ConditionalWeakTable<UserRecord, CredentialIdentity> _sessionIdentities = new();
    private readonly ConditionalWeakTable<TokenRecord, TokenIdentity> _tokenIdentities = new();

    /// <param name="services">
    /// The hub's services, whose <see cref="ServiceDefinition.AccessGroups"/> add <c>access:services</c> to their
    /// members' own scopes (<see cref="ServiceCatalog.ScopesOf"/>); <c>null</c> when there are none.
    /// </param>
    public CredentialResolver(
        ICredentialLookup lookup, LoginAccessPolicy policy, TimeProvider time, IEnumerable<ITokenKind> kinds, CredentialResolverOptions options,
        ServiceCatalog? services = null)
    {
        // One delegate for the resolver's life: the session path stays free of allocations.
        _sessionIdentity = services is null
            ? static u => new CredentialIdentity(u, ScopeSet.ForUser(u), CredentialKind.Session)
            : u => new CredentialIdentity(u, services.ScopesOf(u), CredentialKind.Session);
        _lookup = lookup;
        _policy = policy;
        _time = time;
        _kinds = [.. kinds];
        _options = options;
    }

    /// <summary>Resolves a request's credentials.</summary>
    /// <param name="token">The token of its <c>Authorization</c> header (<see cref="TokenHeader.TokenOf"/>), or <c>null</c>.</param>
    /// <param name="session">Its session cookie (<see cref="PresentedSession.Of"/>), or <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <exception cref="Exception">Whatever the lookup throws when the store does not answer.</exception>
    public async ValueTask<CredentialResolution> ResolveAsync(string? token, PresentedSession? session, CancellationToken cancellationToken)
    {
        if (token is not null)
        {
            var fromToken = await ResolveTokenAsync(token, cancellationToken).ConfigureAwait(false);
            if (fromToken.Outcome == CredentialOutcome.Authenticated || session is null || !_options.SessionCookieFallback)
            {
                return fromToken;
            }
        }
        return session is null ? CredentialResolution.None : await ResolveSessionAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves a token alone (also for <c>GET /hub/api/authorizations/token/{token}</c>).</summary>
    public async ValueTask<CredentialResolution> ResolveTokenAsync(string token, CancellationToken cancellationToken)
    {
        TokenRecord? grant = null;
        bool recognized = false;
        foreach (var kind in _kinds)
        {
            if (kind.Recognizes(token))
            {
                recognized = true;
                grant = await kind.FindGrantAsync(token, cancellationToken).ConfigureAwait(false);
                break;
            }
        }
        if (!recognized)
        {
            if (token.Length > SecretHash.MaxSecretLength)
            {
                return CredentialResolution.Invalid("The token is not valid.");
            }
            grant = await _lookup.FindTokenAsync(SecretHash.Of(token), cancellationToken).ConfigureAwait(false);
        }
        if (grant is null || grant.Expires <= _time.GetUtcNow())
        {
            return CredentialResolution.Invalid("The token is not valid or has expired.");
        }
        var user = await _lookup.FindUserAsync(grant.User, cancellationToken).ConfigureAwait(false);
        if (Refusal(user) is { } refused)
        {
            return refused;
        }
        if (!_tokenIdentities.TryGetValue(grant, out var known) || !ReferenceEquals(known.Owner, user))
        {
            // A token holds its own scopes narrowed to what its owner may do now: the owner's record is part of the key.
            var owner = SessionIdentity(user!).Scopes;
            var scopes = ScopeSet.FromScopes(grant.Scopes, user!.Name, owner).IntersectWith(owner);
            known = new TokenIdentity(user, new CredentialIdentity(user, scopes, CredentialKind.Token, grant));
            _tokenIdentities.AddOrUpdate(grant, known);
        }
        return new CredentialResolution(CredentialOutcome.Authenticated, known.Identity);
    }

    private async ValueTask<CredentialResolution> ResolveSessionAsync(PresentedSession session, CancellationToken cancellationToken)
    {
        if (session.IdHash is null)
        {
            return CredentialResolution.Invalid("The session cookie is not valid.");
        }
        var record = await _lookup.FindSessionAsync(session.IdHash, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Expires <= _time.GetUtcNow())
        {
            return CredentialResolution.Invalid("The session has ended; log in again.");
        }
        var user = await _lookup.FindUserAsync(record.User, cancellationToken).ConfigureAwait(false);
        return Refusal(user) ?? new CredentialResolution(CredentialOutcome.Authenticated, SessionIdentity(user!), SessionIdHash: record.IdHash);
    }

    private CredentialResolution? Refusal(UserRecord? user) =>
        user is null ? CredentialResolution.Invalid("The user no longer exists.")
        : !_policy.Admits(user) ? CredentialResolution.Invalid("This user may no longer use the hub.")
        : null;

    private CredentialIdentity SessionIdentity(UserRecord user) =>
        _sessionIdentities.GetValue(user, _sessionIdentity);

    private sealed record TokenIdentity(UserRecord Owner, CredentialIdentity Identity);
}
