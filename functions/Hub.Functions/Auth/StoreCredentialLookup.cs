using Hub.Core.Auth.Credentials;
using Hub.Core.Store;

namespace Hub.Functions.Auth;

/// <summary>
/// The control plane's way of reading credentials: straight from the store on every request (no cache, so a logout,
/// a deleted token or a demotion counts at once); a store failure fails the request (503). An expired session's row
/// is removed when it is met.
/// </summary>
public sealed class StoreCredentialLookup(IHubStore store, TimeProvider time) : ICredentialLookup
{
    public async ValueTask<SessionRecord?> FindSessionAsync(string idHash, CancellationToken cancellationToken)
    {
        var record = await store.Sessions.GetAsync(idHash, cancellationToken);
        if (record is not null && record.Expires <= time.GetUtcNow())
        {
            await store.Sessions.DeleteAsync(record.IdHash, record.Version, cancellationToken);
        }
        return record;
    }

    public async ValueTask<TokenRecord?> FindTokenAsync(string hash, CancellationToken cancellationToken) => await store.Tokens.GetAsync(hash, cancellationToken);

    public async ValueTask<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken) => await store.Users.GetAsync(name, cancellationToken);
}
