using Hub.Core.Auth.Credentials;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;
using Hub.Gateway.Metrics;

namespace Hub.Gateway.Auth;

/// <summary>
/// The gateway's way of reading credentials: sessions, tokens and users from the store, each answer (including "no
/// such session") reused for <see cref="GatewayOptions.CredentialCacheDuration"/>, so a revoked session stops working
/// within that time. A lookup waits at most <see cref="GatewayOptions.StoreLookupTimeout"/>; when the store does not
/// answer, records validated within <see cref="GatewayOptions.StaleCredentialWindow"/> keep being served
/// (see <see cref="ExpiringCache{TValue}"/> and <see cref="CredentialStoreState"/>).
/// </summary>
public sealed class CachedCredentialLookup : ICredentialLookup
{
    private static readonly TimeSpan StaleLogInterval = TimeSpan.FromMinutes(1);

    private readonly ExpiringCache<SessionRecord> _sessions;
    private readonly ExpiringCache<TokenRecord> _tokens;
    private readonly ExpiringCache<UserRecord> _users;
    private readonly ExpiringCache<SharedScopes> _shares;
    private readonly IHubStore _store;

    // Made once: a lambda that captures the store would be a new delegate on every request.
    private readonly Func<string, CancellationToken, Task<SessionRecord?>> _readSession;
    private readonly Func<string, CancellationToken, Task<TokenRecord?>> _readToken;
    private readonly Func<string, CancellationToken, Task<UserRecord?>> _readUser;

    public CachedCredentialLookup(IHubStore store, GatewayOptions options, CredentialStoreState state, GatewayMetrics metrics, TimeProvider time, ILogger<CachedCredentialLookup> logger)
    {
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
        _store = store;
        _readSession = store.Sessions.GetAsync;
        _readToken = store.Tokens.GetAsync;
        _readUser = store.Users.GetAsync;
    }

    /// <remarks>The caches bound each lookup by their own deadline, so the caller's cancellation is not needed.</remarks>
    public ValueTask<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken) => _sessions.GetAsync(idHash, _readSession);

    public ValueTask<TokenRecord?> FindTokenAsync(string hash, CancellationToken cancellationToken) => _tokens.GetAsync(hash, _readToken);

    public ValueTask<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken) => _users.GetAsync(name, _readUser);

    /// <summary>
    /// The scopes of the shares <paramref name="user"/> holds, directly or through a group, reused as the other records
    /// are, so a revoked share stops working within the same time. Asked only when a user opens a server not their own.
    /// </summary>
    public ValueTask<SharedScopes?> FindSharedScopesAsync(UserRecord user)
    {
        string key = user.Groups.Count == 0 ? user.Name : user.Name + "\n" + string.Join("\n", user.Groups);
        return _shares.GetAsync(key, async (_, cancellation) =>
            new SharedScopes(await SharedAccess.ScopesOfAsync(_store, user, cancellation).ConfigureAwait(false)));
    }
}

/// <summary>The scopes of the shares one user holds (a class: the cache holds references).</summary>
public sealed record SharedScopes(IReadOnlyList<string> Scopes);
