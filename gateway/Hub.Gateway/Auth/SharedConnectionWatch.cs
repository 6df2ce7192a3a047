using Hub.Core.Auth.Credentials;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;

namespace Hub.Gateway.Auth;

/// <summary>
/// Ends WebSockets (kernels, terminals) that a user opened on someone else's server through a share once the share,
/// the user or the token is gone: each is checked again every <see cref="GatewayOptions.CredentialCacheDuration"/>
/// (at least every half second) with the same cached lookups as new requests, so revoking a share ends open
/// connections within about twice that time. While the store does not answer, the connection stays (as the stale
/// credential window lets new requests through).
/// </summary>
public sealed class SharedConnectionWatch(RequestCredentials credentials, GatewayOptions options, ILogger<SharedConnectionWatch> logger)
{
    private static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Starts watching; dispose the result when the connection ends. Disposing waits for the watch to stop, so it never
    /// aborts a context that the server has since handed to another request.
    /// </summary>
    public IAsyncDisposable Watch(HttpContext context, string user, ServerKey server)
    {
        var stop = new CancellationTokenSource();
        return new Stop(stop, WatchAsync(context, user, server, stop.Token));
    }

    private async Task WatchAsync(HttpContext context, string user, ServerKey server, CancellationToken stop)
    {
        var period = options.CredentialCacheDuration > MinPeriod ? options.CredentialCacheDuration : MinPeriod;
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                CredentialIdentity? current;
                try
                {
                    // The request's own credentials, resolved again through the same caches as a new request's.
                    var again = await credentials.AuthenticateAsync(context.Request).ConfigureAwait(false);
                    if (again.Outcome == AuthenticationOutcome.Unavailable)
                    {
                        continue;
                    }
                    current = again.Identity is { } identity ? await credentials.WithSharesAsync(identity).ConfigureAwait(false) : null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    continue;
                }
                if ((current is null || !AccessPolicy.MayOpen(current, server)) && !stop.IsCancellationRequested)
                {
                    Log.SharedConnectionEnded(logger, LogText.Cap(user), LogText.Cap(server.ToString()));
                    context.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private sealed class Stop(CancellationTokenSource source, Task watching) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await source.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            source.Dispose();
        }
    }
}
