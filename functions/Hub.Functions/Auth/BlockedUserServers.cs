using Hub.Core.Auth;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Logging;

namespace Hub.Functions.Auth;

/// <summary>
/// Stops the servers of the users in <c>Auth__BlockedUsers</c> when the control plane starts. The control plane refuses
/// a blocked user's session and tokens on every request, but the gateway forwards <c>/user/{name}/</c> traffic by its
/// routes alone; stopping the server removes the route, so a blocked user keeps no way into a running server. The list
/// only changes with the app settings, which restarts the app, so once per start is enough. Files are kept.
/// </summary>
internal sealed class BlockedUserServers(AuthOptions auth, IHubStore store, IServerLifecycle lifecycle, TimeProvider time, ILogger<BlockedUserServers> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var blocked = auth.BlockedUsers.Select(UserNamePolicy.Fold).Distinct(StringComparer.Ordinal).ToList();
        if (blocked.Count == 0)
        {
            return;
        }
        // Off the startup thread, and again until the store answers (it may still be creating its tables).
        await Task.Yield();
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StopAllAsync(blocked, stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.BlockedUserServersFailed(logger, delay, ex.Message);
            }
            await Task.Delay(delay, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    /// <summary>Asks every server of the named users that is not stopped to stop; returns how many were asked.</summary>
    public async Task<int> StopAllAsync(IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        int asked = 0;
        foreach (string user in users)
        {
            await foreach (var server in store.Servers.ListForUserAsync(user, cancellationToken))
            {
                if (server.Phase is ServerPhase.Stopped or ServerPhase.Failed && server.Desired == ServerDesiredState.Stopped)
                {
                    continue;
                }
                await lifecycle.RequestStopAsync(server.Key, cancellationToken);
                Log.BlockedUserServerStopped(logger, LogText.Cap(user), LogText.Cap(server.Name));
                asked++;
            }
        }
        return asked;
    }
}
