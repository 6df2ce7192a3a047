using Hub.Core.Culling;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Functions.Logging;

namespace Hub.Functions.Culling;

/// <summary>
/// Removes accounts inactive for <see cref="CullerOptions.RemoveUsersInactiveFor"/> (jupyterhub-idle-culler's
/// <c>--cull-users</c>): the user, their stopped server records and their API tokens. Never an admin, never a user
/// with a server that runs or is on its way, and never files: homes (folders, Azure Files shares) stay, so a student
/// who logs in again finds their work. Off (and free: nothing is read) while the setting is zero.
/// </summary>
public sealed class InactiveUserRemover(IHubStore store, CullerOptions options, ILogger<InactiveUserRemover> logger)
{
    /// <returns>How many accounts were removed.</returns>
    public async Task<int> RemoveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.RemoveUsersInactiveFor <= TimeSpan.Zero)
        {
            return 0;
        }
        var users = new List<UserRecord>();
        await foreach (var user in store.Users.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(user);
        }
        var servers = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            servers.Add(server);
        }

        int removed = 0;
        foreach (string name in CullPolicy.UsersToRemove(users, servers, now, options))
        {
            if (await TryRemoveAsync(name, now, cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }
        return removed;
    }

    private async Task<bool> TryRemoveAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Decide again on fresh records: the user may have logged in or started a server since the listing.
        var user = await store.Users.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return false;
        }
        var servers = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListForUserAsync(name, cancellationToken).ConfigureAwait(false))
        {
            servers.Add(server);
        }
        if (CullPolicy.UsersToRemove([user], servers, now, options).Count == 0)
        {
            return false;
        }
        // The user record goes last, at the version decided on, so a login in between keeps the account.
        foreach (var server in servers)
        {
            await store.Servers.DeleteAsync(server.Key, server.Version, cancellationToken).ConfigureAwait(false);
        }
        await foreach (var token in store.Tokens.ListForUserAsync(name, cancellationToken).ConfigureAwait(false))
        {
            await store.Tokens.DeleteAsync(token.Hash, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        await Hub.Core.Sharing.SharedAccess.RemoveAsync(store, name, null, cancellationToken).ConfigureAwait(false);
        var status = await store.Users.DeleteAsync(name, user.Version, cancellationToken).ConfigureAwait(false);
        if (status != StoreWriteStatus.Written)
        {
            return false;
        }
        Log.InactiveUserRemoved(logger, LogText.Cap(name), user.LastActivity ?? user.Created);
        return true;
    }
}
