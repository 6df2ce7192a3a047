using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;
using Hub.Gateway.Metrics;

namespace Hub.Gateway.Activity;

/// <summary>
/// Writes recorded activity every <see cref="GatewayOptions.ActivityWriteInterval"/>: each active server's
/// <see cref="ServerRecord.LastActivity"/> and its user's <see cref="UserRecord.LastActivity"/>, through
/// read-modify-write that only ever moves the time forward, so several gateway replicas (and the servers' own
/// activity reports) merge without losing the latest time. A batch has a deadline (<see cref="BatchTimeout"/>); writes
/// that fail or miss it go back into the recorder and are written with a later batch, so while the store is down the
/// activity waits in memory and is written when it is back.
/// </summary>
internal sealed class ActivityWriter(
    ActivityRecorder recorder, IHubStore store, GatewayOptions options, GatewayMetrics metrics, TimeProvider time, ILogger<ActivityWriter> logger)
    : BackgroundService
{
    private const int MaxParallelWrites = 8;

    /// <summary>How long one batch may wait on the store: an interval, at most 30 s.</summary>
    private TimeSpan BatchTimeout => options.ActivityWriteInterval < TimeSpan.FromSeconds(30) ? options.ActivityWriteInterval : TimeSpan.FromSeconds(30);

    private int _failuresLogged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ActivityWriteInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await WritePendingAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // What was seen since the last tick still counts: write it before the process goes.
        await WritePendingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one batch; visible to tests.</summary>
    internal async Task WritePendingAsync(CancellationToken cancellationToken)
    {
        var pending = recorder.TakePending();
        if (pending.Count == 0)
        {
            return;
        }
        // Real time, not the injected clock: the deadline bounds waiting on a socket. The loops themselves are not
        // cancelled: every entry is tried, so every failure (a cancellation too) goes back to the recorder.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(BatchTimeout);
        _failuresLogged = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelWrites };
        await Parallel.ForEachAsync(pending, parallel,
            async (entry, _) => await WriteServerAsync(entry.Key, entry.Value.At, entry.Value.Kind, deadline.Token).ConfigureAwait(false)).ConfigureAwait(false);

        var users = pending.GroupBy(p => p.Key.User).Select(g => (User: g.Key, Latest: g.Max(p => p.Value.At), Kind: g.MaxBy(p => p.Value.At).Value.Kind));
        await Parallel.ForEachAsync(users, parallel,
            async (entry, _) => await WriteUserAsync(entry.User, entry.Latest, entry.Kind, deadline.Token).ConfigureAwait(false)).ConfigureAwait(false);
        metrics.ActivityWritten(pending.Count);
        Log.ActivityWritten(logger, pending.Count);
    }

    private async Task WriteServerAsync(ServerKey server, DateTimeOffset latest, ActivityKind kind, CancellationToken cancellationToken)
    {
        try
        {
            await store.Servers.ChangeAsync(server, record => ActivityMerge.Forward(record, latest, kind), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Failed(server, latest, kind, ex);
        }
    }

    private async Task WriteUserAsync(string user, DateTimeOffset latest, ActivityKind kind, CancellationToken cancellationToken)
    {
        try
        {
            await store.Users.ChangeAsync(user, record => record.LastActivity >= latest ? null : record with { LastActivity = latest }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Failed(new ServerKey(user, ""), latest, kind, ex);
        }
    }

    private void Failed(ServerKey server, DateTimeOffset latest, ActivityKind kind, Exception ex)
    {
        recorder.Record(server, latest, kind);
        metrics.ActivityWriteFailed();
        // While the store is down every write of a batch fails alike: one line per batch says so.
        if (Interlocked.Increment(ref _failuresLogged) == 1)
        {
            Log.ActivityWriteFailed(logger, LogText.Cap(server.ToString()), FailureText.Of(ex));
        }
    }
}
