using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// JupyterHub's <c>allow_named_servers</c> and <c>named_server_limit_per_user</c> for a start of a new named server.
/// The limit counts the user's named servers that exist (running or not), as JupyterHub does, and holds under
/// concurrent starts on any number of instances: a new name is first reserved as a stopped record, and the
/// reservation stands only if the user's record has not changed since the servers were counted (a conditional write
/// of that record). Of several starts that counted the same servers, one write wins; the others remove their
/// reservation and count again, now seeing the winner's.
/// </summary>
public sealed class NamedServerLimit(IHubStore store, SpawnerOptions options)
{
    private const int MaxAttempts = 20;

    /// <summary>Why <paramref name="server"/> may not be started, in JupyterHub's words; <c>null</c> when it may (its name is then reserved).</summary>
    public async Task<string?> ReserveAsync(ServerKey server, CancellationToken cancellationToken)
    {
        if (server.Server.Length == 0)
        {
            return null;
        }
        if (!options.AllowNamedServers)
        {
            return "Named servers are not enabled.";
        }
        int limit = options.NamedServerLimitPerUser;
        if (limit <= 0)
        {
            return null;
        }
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await store.Servers.GetAsync(server, cancellationToken).ConfigureAwait(false) is not null)
            {
                return null; // not new: a server that exists may always start again
            }
            var user = await store.Users.GetAsync(server.User, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return null; // the lifecycle reports the missing user
            }
            int named = 0;
            await foreach (var existing in store.Servers.ListForUserAsync(server.User, cancellationToken).ConfigureAwait(false))
            {
                named += existing.Name.Length > 0 ? 1 : 0;
            }
            if (named >= limit)
            {
                return $"User {user.Name} already has the maximum of {limit} named servers.  One must be deleted before a new server can be created";
            }
            var reserved = await store.Servers.CreateAsync(new ServerRecord
            {
                User = server.User,
                Name = server.Server,
                Desired = ServerDesiredState.Stopped,
                Phase = ServerPhase.Stopped,
            }, cancellationToken).ConfigureAwait(false);
            if (!reserved.Succeeded)
            {
                continue; // another start of the same name reserved it: look again
            }
            if ((await store.Users.ReplaceAsync(user, cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                return null;
            }
            await store.Servers.DeleteAsync(server, reserved.Record!.Version, cancellationToken).ConfigureAwait(false);
        }
        return "Too many servers are being added at once; try again.";
    }
}
