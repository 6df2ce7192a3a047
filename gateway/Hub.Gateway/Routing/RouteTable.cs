using System.Collections.Concurrent;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;
using Hub.Gateway.Metrics;

namespace Hub.Gateway.Routing;

/// <summary>
/// Finds the route of a request: first in the current <see cref="RouteSnapshot"/> (swapped atomically by
/// <see cref="RouteRefresher"/>), then among routes read one by one since that snapshot, and otherwise with a point
/// read of the routes table, so that a server that became ready a moment ago is reachable at once. Concurrent
/// misses for the same server share one read, which waits at most <see cref="GatewayOptions.StoreLookupTimeout"/>.
/// </summary>
public sealed class RouteTable(
    IHubStore store, ServerTokenSource tokens, GatewayOptions options, GatewayMetrics metrics, TimeProvider time, ILogger<RouteTable> logger)
{
    private readonly ConcurrentDictionary<ServerKey, (RouteEntry Entry, DateTimeOffset ReadAt)> _pointReads = new();
    private readonly ConcurrentDictionary<ServerKey, Lazy<Task<RouteEntry?>>> _reading = new();
    private RouteSnapshot _snapshot = RouteSnapshot.Empty;

    public RouteSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Makes <paramref name="snapshot"/> current; routes read one by one before it started are dropped (it is newer).</summary>
    public void Publish(RouteSnapshot snapshot)
    {
        Volatile.Write(ref _snapshot, snapshot);
        metrics.SetRouteCount(snapshot.Count);
        foreach (var (key, read) in _pointReads)
        {
            if (read.ReadAt <= snapshot.ReadAt)
            {
                _pointReads.TryRemove(new KeyValuePair<ServerKey, (RouteEntry, DateTimeOffset)>(key, read));
            }
        }
    }

    /// <summary>The route for <c>/user/{user}/{nextSegment}…</c>, or <c>null</c> when the server has none (it is not running).</summary>
    /// <exception cref="Exception">The store could not be read and the route is in no snapshot (the caller answers 503).</exception>
    public async ValueTask<RouteEntry?> FindAsync(string user, string? nextSegment, CancellationToken cancellationToken)
    {
        if (Snapshot.Find(user, nextSegment) is { } known)
        {
            return known;
        }
        if (!_pointReads.IsEmpty)
        {
            if (nextSegment is not null && _pointReads.TryGetValue(new ServerKey(user, nextSegment), out var named))
            {
                return named.Entry;
            }
            if (_pointReads.TryGetValue(new ServerKey(user, ""), out var main))
            {
                return main.Entry;
            }
        }

        var defaultRead = ReadAsync(new ServerKey(user, ""));
        if (nextSegment is not null && await ReadAsync(new ServerKey(user, nextSegment)).WaitAsync(cancellationToken).ConfigureAwait(false) is { } namedRoute)
        {
            return namedRoute;
        }
        return await defaultRead.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the route of <paramref name="server"/> again, bypassing the snapshot (after its target stopped answering).</summary>
    public async Task<RouteEntry?> ConfirmAsync(ServerKey server, CancellationToken cancellationToken)
    {
        _pointReads.TryRemove(server, out _);
        return await ReadAsync(server).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<RouteEntry?> ReadAsync(ServerKey server)
    {
        var read = _reading.GetOrAdd(server, key => new Lazy<Task<RouteEntry?>>(() => ReadOnceAsync(key)));
        return read.Value;
    }

    private async Task<RouteEntry?> ReadOnceAsync(ServerKey server)
    {
        try
        {
            await Task.Yield();
            var readAt = time.GetUtcNow();
            metrics.RoutePointRead();
            RouteRecord? record;
            try
            {
                // Real time, not the injected clock: the deadline bounds waiting on a socket.
                using var deadline = new CancellationTokenSource(options.StoreLookupTimeout);
                record = await store.Routes.GetAsync(server, deadline.Token).WaitAsync(options.StoreLookupTimeout).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.RouteLookupFailed(logger, LogText.Cap(server.ToString()), FailureText.Of(ex));
                throw;
            }
            if (record is null)
            {
                return null;
            }
            if (!RouteEntry.IsUsable(record))
            {
                Log.RouteInvalid(logger, LogText.Cap(server.ToString()), LogText.CapLong(record.Target.OriginalString));
                return null;
            }
            var entry = new RouteEntry(record, tokens.TokenFor(record));
            if (readAt > Snapshot.ReadAt)
            {
                _pointReads[server] = (entry, readAt);
            }
            return entry;
        }
        finally
        {
            _reading.TryRemove(server, out _);
        }
    }
}
