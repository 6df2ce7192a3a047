using System.Diagnostics.Metrics;
using Hub.Core.Store;

namespace Hub.Functions.Metrics;

/// <summary>
/// The store-wide gauges (<c>jupyterhub_total_users</c>, <c>jupyterhub_running_servers</c>,
/// <c>jupyterhub_active_sessions</c>). Counting them reads whole tables, which an instrument's callback (synchronous,
/// run while the exporter collects) must not do: the metrics endpoint calls <see cref="RefreshAsync"/> first, and the
/// counts are kept for <see cref="Lifetime"/>, so frequent scrapes do not turn into full table reads.
/// </summary>
public sealed class StoreGauges
{
    /// <summary>How long one count of the tables is reported.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private readonly IHubStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, GaugeCounts Counts)? _last;

    public StoreGauges(IHubStore store, TimeProvider time, IMeterFactory meters)
    {
        _store = store;
        _time = time;
        var meter = meters.Create(HubMetrics.MeterName);
        // No sample before the first count: a scrape that could not read the store reports nothing rather than zero.
        meter.CreateObservableGauge(HubMetrics.Prefix + "total_users", () => Observe(c => c.Users), description: "Total number of users");
        meter.CreateObservableGauge(HubMetrics.Prefix + "running_servers", () => Observe(c => c.RunningServers), description: "The number of user servers currently running");
        meter.CreateObservableGauge(HubMetrics.Prefix + "active_sessions", () => Observe(c => c.ActiveSessions), description: "Login sessions that have not expired");
    }

    /// <summary>Counts the tables again unless the last count is younger than <see cref="Lifetime"/>.</summary>
    public async Task<GaugeCounts> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_last is { } last && now - last.At < Lifetime)
            {
                return last.Counts;
            }
            long users = 0, running = 0, sessions = 0;
            await foreach (var _ in _store.Users.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                users++;
            }
            await foreach (var server in _store.Servers.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                running += server.Phase == ServerPhase.Running ? 1 : 0;
            }
            await foreach (var session in _store.Sessions.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                sessions += session.Expires > now ? 1 : 0;
            }
            var counts = new GaugeCounts(users, running, sessions);
            _last = (now, counts);
            return counts;
        }
        finally
        {
            _gate.Release();
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<GaugeCounts, long> value) =>
        _last is { } last ? [new Measurement<long>(value(last.Counts))] : [];
}

/// <summary>Counts of users, running servers and live sessions, read from the store.</summary>
public sealed record GaugeCounts(long Users, long RunningServers, long ActiveSessions);
