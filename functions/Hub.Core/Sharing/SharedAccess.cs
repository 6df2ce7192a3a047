using Hub.Core.Auth;
using Hub.Core.Auth.Credentials;
using Hub.Core.Services;
using Hub.Core.Store;

namespace Hub.Core.Sharing;

/// <summary>
/// What shares add to a user's scopes, read from the store as JupyterHub adds them (<c>scopes.get_scopes_for</c>):
/// the scopes of every share granted to the user or to one of the user's groups. Used by the control plane on every
/// authenticated request and by the gateway (cached briefly) when a user opens a server that is not their own.
/// </summary>
public static class SharedAccess
{
    /// <summary>The recipients whose shares <paramref name="user"/> holds: the user and each of the user's groups.</summary>
    public static IReadOnlyList<ShareRecipient> RecipientsOf(UserRecord user) =>
        [ShareRecipient.User(user.Name), .. user.Groups.Select(ShareRecipient.Group)];

    /// <summary>The scopes of the shares <paramref name="user"/> holds, sorted and without repeats.</summary>
    public static async Task<IReadOnlyList<string>> ScopesOfAsync(IHubStore store, UserRecord user, CancellationToken cancellationToken)
    {
        var scopes = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var share in store.Shares.ListForRecipientsAsync(RecipientsOf(user), cancellationToken).ConfigureAwait(false))
        {
            scopes.UnionWith(share.Scopes);
        }
        return [.. scopes];
    }

    /// <summary><paramref name="user"/>'s own scopes (<see cref="ScopeSet.ForUser(UserRecord)"/>) with those of <paramref name="sharedScopes"/> added.</summary>
    public static ScopeSet ForUser(UserRecord user, IReadOnlyList<string> sharedScopes) =>
        sharedScopes.Count == 0 ? ScopeSet.ForUser(user) : ScopeSet.ForUser(user, sharedScopes);

    /// <summary>
    /// What <paramref name="identity"/> may do with the shares its user holds (<paramref name="sharedScopes"/>) added to
    /// the user's own scopes and the services' grants: a session holds them all, a token its own scopes narrowed again.
    /// </summary>
    public static ScopeSet Widen(CredentialIdentity identity, IReadOnlyList<string> sharedScopes, ServiceCatalog? services)
    {
        var user = identity.User;
        var owner = ScopeSet.ForUser(user, services is null ? sharedScopes : services.GrantsFor(user).Concat(sharedScopes));
        return identity.Token is { } token ? ScopeSet.FromScopes(token.Scopes, user.Name, owner).IntersectWith(owner) : owner;
    }

    /// <summary>
    /// Removes every share and share code of <paramref name="server"/> (a removed server, as JupyterHub's cascade), or
    /// of all of <paramref name="owner"/>'s servers when <paramref name="server"/> is <c>null</c> (a deleted user),
    /// and the shares granted to that user. A server created again later under the same name starts unshared.
    /// </summary>
    public static async Task RemoveAsync(IHubStore store, string owner, string? server, CancellationToken cancellationToken)
    {
        await foreach (var share in store.Shares.ListForOwnerAsync(owner, server, cancellationToken).ConfigureAwait(false))
        {
            await store.Shares.DeleteAsync(share.Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        await foreach (var code in store.ShareCodes.ListForOwnerAsync(owner, server, cancellationToken).ConfigureAwait(false))
        {
            await store.ShareCodes.DeleteAsync(code.Hash, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        if (server is null)
        {
            await foreach (var share in store.Shares.ListForRecipientsAsync([ShareRecipient.User(owner)], cancellationToken).ConfigureAwait(false))
            {
                await store.Shares.DeleteAsync(share.Key, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
