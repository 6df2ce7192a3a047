using System.Diagnostics;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;
using Hub.Gateway.Metrics;

namespace Hub.Gateway.Routing;

/// <summary>
/// Reads the whole routes table every <see cref="GatewayOptions.RouteRefreshInterval"/> and publishes it as a new
/// snapshot. When a read fails, the last good snapshot stays in use and the failure is logged (once a minute while
/// it lasts) and reported by <c>/health</c>. A read that takes longer than <see cref="ReadTimeout"/> counts as failed,
/// so a stalled store is noticed (and its connection given up) instead of holding the refresh forever.
/// </summary>
public sealed class RouteRefresher(
    RouteTable routes, IHubStore store, ServerTokenSource tokens, GatewayOptions options, GatewayMetrics metrics, TimeProvider time, ILogger<RouteRefresher> logger)
    : BackgroundService
{
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long one read of the whole table may take: ten refresh intervals, at least 5 s.</summary>
    private TimeSpan ReadTimeout => TimeSpan.FromTicks(Math.Max(options.RouteRefreshInterval.Ticks * 10, TimeSpan.FromSeconds(5).Ticks));
    private DateTimeOffset _lastFailureLogged = DateTimeOffset.MinValue;
    private bool _loadedOnce;

    /// <summary>When the last successful read finished; <c>null</c> before the first.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>Why the last read failed, while reads keep failing; <c>null</c> after a success.</summary>
    public string? LastError { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(options.RouteRefreshInterval, time);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One read of the table; visible to tests.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        long started = Stopwatch.GetTimestamp();
        var previous = routes.Snapshot;
        var entries = new List<RouteEntry>(previous.Count + 16);
        // Real time, not the injected clock: the deadline bounds waiting on a socket.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadTimeout);
        try
        {
            await foreach (var record in store.Routes.ListAsync(deadline.Token).ConfigureAwait(false))
            {
                // Unchanged rows keep their entry (and its derived token): a refresh of 10,000 routes derives nothing new.
                if (previous.Get(record.Key) is { } known && known.Record.Version == record.Version && record.Version is not null)
                {
                    entries.Add(known);
                }
                else if (RouteEntry.IsUsable(record))
                {
                    entries.Add(new RouteEntry(record, tokens.TokenFor(record)));
                }
                else
                {
                    Log.RouteInvalid(logger, LogText.Cap(record.Key.ToString()), LogText.CapLong(record.Target.OriginalString));
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.RouteRefreshFailed();
            LastError = FailureText.Of(ex);
            if (time.GetUtcNow() - _lastFailureLogged >= FailureLogInterval)
            {
                _lastFailureLogged = time.GetUtcNow();
                string since = LastSuccess is { } at ? $"{(time.GetUtcNow() - at).TotalSeconds:0} s ago" : "never: no read has succeeded yet";
                Log.RouteRefreshFailed(logger, previous.Count, since, LastError);
            }
            return;
        }

        var snapshot = RouteSnapshot.Create(entries, readAt);
        routes.Publish(snapshot);
        LastSuccess = time.GetUtcNow();
        LastError = null;
        _lastFailureLogged = DateTimeOffset.MinValue;
        if (!_loadedOnce)
        {
            _loadedOnce = true;
            Log.RoutesLoaded(logger, snapshot.Count, Stopwatch.GetElapsedTime(started));
        }
        else if (snapshot.Count != previous.Count)
        {
            Log.RoutesChanged(logger, snapshot.Count);
        }
    }
}
