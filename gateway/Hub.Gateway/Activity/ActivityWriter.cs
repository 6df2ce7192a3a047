using Hub.Core.Store;
using Hub.Gateway.Hosting;
using Hub.Gateway.Logging;
using Hub.Gateway.Metrics;

namespace Hub.Gateway.Activity;

/// <summary>
/// Writes recorded activity every <see cref="GatewayOptions.ActivityWriteInterval"/>: each active server's
/// <see cref="ServerRecord.LastActivity"/> and its user's <see cref="UserRecord.LastActivity"/>, through
/// read-modify-write that only ever moves the time forward, so several gateway replicas (and the servers' own
/// activity reports) merge without losing the latest time. Failed writes go back into the next batch.
/// </summary>
internal sealed class ActivityWriter(
    ActivityRecorder recorder, IHubStore store, GatewayOptions options, GatewayMetrics metrics, TimeProvider time, ILogger<ActivityWriter> logger)
    : BackgroundService
{
    private const int MaxParallelWrites = 8;

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
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelWrites, CancellationToken = cancellationToken },
            async (entry, token) => await WriteServerAsync(entry.Key, entry.Value, token).ConfigureAwait(false)).ConfigureAwait(false);

        var users = pending.GroupBy(p => p.Key.User).Select(g => (User: g.Key, Latest: g.Max(p => p.Value)));
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelWrites, CancellationToken = cancellationToken },
            async (entry, token) => await WriteUserAsync(entry.User, entry.Latest, token).ConfigureAwait(false)).ConfigureAwait(false);
        metrics.ActivityWritten(pending.Count);
        Log.ActivityWritten(logger, pending.Count);
    }

    private async Task WriteServerAsync(ServerKey server, DateTimeOffset latest, CancellationToken cancellationToken)
    {
        try
        {
            await store.Servers.ChangeAsync(server, record => record.LastActivity >= latest ? null : record with { LastActivity = latest }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(server, latest, ex);
        }
    }

    private async Task WriteUserAsync(string user, DateTimeOffset latest, CancellationToken cancellationToken)
    {
        try
        {
            await store.Users.ChangeAsync(user, record => record.LastActivity >= latest ? null : record with { LastActivity = latest }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(new ServerKey(user, ""), latest, ex);
        }
    }

    private void Failed(ServerKey server, DateTimeOffset latest, Exception ex)
    {
        metrics.ActivityWriteFailed();
        Log.ActivityWriteFailed(logger, LogText.Cap(server.ToString()), FailureText.Of(ex));
        recorder.Record(server, latest);
    }
}
