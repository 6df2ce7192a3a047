using System.Collections.Concurrent;
using Hub.Core.Culling;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Logging;
using Hub.Functions.Timers;

namespace Hub.Functions.Culling;

/// <summary>
/// The <c>cull-idle</c> timer: stops servers idle longer than <see cref="CullerOptions.IdleTimeout"/> (or running
/// longer than <see cref="CullerOptions.MaxAge"/>) through <see cref="IServerLifecycle"/>, which keeps their files.
/// One query reads the active servers (only the fields the decision needs); <see cref="CullPolicy"/> decides on
/// stored activity (the gateway's); only servers that look idle are asked about their own activity (what they are
/// asked depends on <see cref="CullerOptions.ActivitySource"/>), at most <see cref="CullerOptions.Concurrency"/> at a
/// time. A server kept by what it reported (a busy kernel, or a kernel active after the stored time) has that written
/// as its activity, moving forward only; nothing is written for the other servers that stay.
/// </summary>
public sealed class CullIdleJob(
    IHubStore store,
    IServerLifecycle lifecycle,
    ServerActivityProbe probe,
    InactiveUserRemover users,
    CullerOptions options,
    TimerOptions timers,
    CullMetrics metrics,
    TimeProvider time,
    ILogger<CullIdleJob> logger,
    Usage.QuotaEnforcer? quotas = null) : ITimerJob
{
    public const string FunctionName = "cull-idle";

    public string Name => FunctionName;

    public string Schedule => timers.CullIdleSchedule;

    public async Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        // Usage caps apply whether or not idle servers are culled.
        var capped = quotas is null ? [] : await quotas.EnforceAsync(cancellationToken).ConfigureAwait(false);
        if (!options.Enabled)
        {
            return [.. capped, "The culler is off (Culler__Enabled=false)."];
        }
        var summary = await CullAsync(cancellationToken).ConfigureAwait(false);
        Log.CullFinished(logger, summary.Active, summary.Pending, summary.Probed, summary.KeptBusy, summary.CulledIdle, summary.CulledMaxAge, summary.StopFailures, summary.UsersRemoved, summary.Elapsed);
        metrics.RunFinished(summary, time.GetUtcNow());
        return [.. capped, .. summary.ToLines()];
    }

    /// <summary>One run; public for the benchmark, which times it without the timer around it.</summary>
    public async Task<CullRunSummary> CullAsync(CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var now = time.GetUtcNow();
        var servers = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListActiveForCullingAsync(cancellationToken).ConfigureAwait(false))
        {
            servers.Add(server);
        }

        var read = time.GetElapsedTime(started);
        int pending = 0;
        var stops = new ConcurrentBag<(ServerRecord Server, CullDecision Decision, ServerActivity? Reported)>();
        var idleLooking = new List<ServerRecord>();
        foreach (var server in servers)
        {
            var decision = CullPolicy.Decide(new CullCandidate(server), now, options);
            switch (decision)
            {
                case { Reason: CullReason.Pending }:
                    pending++;
                    break;
                case { Action: CullAction.Stop, Reason: CullReason.MaxAge }:
                    stops.Add((server, decision, null));
                    break;
                case { Action: CullAction.Stop }:
                    idleLooking.Add(server);
                    break;
            }
        }

        int probeFailures = 0, keptActive = 0, keptBusy = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(idleLooking, parallel, async (server, token) =>
        {
            var answer = await probe.AskAsync(server, options.ActivitySource, token).ConfigureAwait(false);
            if (answer.Activity is null)
            {
                Interlocked.Increment(ref probeFailures);
                Log.ProbeFailed(logger, LogText.Cap(server.Key.ToString()), answer.Problem ?? "");
            }
            var decision = CullPolicy.Decide(new CullCandidate(server, answer.Activity), now, options);
            switch (decision.Reason)
            {
                case CullReason.Active:
                    Interlocked.Increment(ref keptActive);
                    if (answer.Activity?.LastActivity is { } reported)
                    {
                        var kind = options.ActivitySource == ActivitySource.User ? ActivityKind.Kernel : ActivityKind.Traffic;
                        await RecordAsync(server.Key, reported, kind, token).ConfigureAwait(false);
                    }
                    break;
                case CullReason.BusyKernel:
                    Interlocked.Increment(ref keptBusy);
                    await RecordAsync(server.Key, now, ActivityKind.KernelBusy, token).ConfigureAwait(false);
                    break;
                default:
                    if (decision.Action == CullAction.Stop)
                    {
                        stops.Add((server, decision, answer.Activity));
                    }
                    break;
            }
        }).ConfigureAwait(false);

        var asked = time.GetElapsedTime(started);
        int culledIdle = 0, culledMaxAge = 0, stopFailures = 0;
        await Parallel.ForEachAsync(stops, parallel, async (stop, token) =>
        {
            // Read once more just before stopping: the gateway may have recorded activity since the listing.
            var current = await store.Servers.GetAsync(stop.Server.Key, token).ConfigureAwait(false);
            if (current is null)
            {
                return;
            }
            var decision = CullPolicy.Decide(new CullCandidate(current, stop.Reported), now, options);
            if (decision.Action != CullAction.Stop)
            {
                Interlocked.Increment(ref keptActive);
                return;
            }
            try
            {
                await lifecycle.BeginStopAsync(current.Key, token).ConfigureAwait(false);
                Interlocked.Increment(ref decision.Reason == CullReason.MaxAge ? ref culledMaxAge : ref culledIdle);
                Log.ServerCulled(logger, LogText.Cap(current.Key.ToString()), decision.Reason, decision.Idle);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                Interlocked.Increment(ref stopFailures);
                Log.CullStopFailed(logger, LogText.Cap(current.Key.ToString()), ex);
            }
        }).ConfigureAwait(false);

        var stopped = time.GetElapsedTime(started);
        int usersRemoved = await users.RemoveAsync(now, cancellationToken).ConfigureAwait(false);

        return new CullRunSummary(servers.Count, pending, idleLooking.Count, probeFailures, keptActive, keptBusy,
            culledIdle, culledMaxAge, stopFailures, usersRemoved, time.GetElapsedTime(started), new CullPhases(read, asked - read, stopped - asked));
    }

    /// <summary>
    /// Writes what a server reported as its activity, so the admin page shows it and the next runs do not ask again
    /// within the idle timeout. A failed write only costs that: the server stays either way.
    /// </summary>
    private async Task RecordAsync(ServerKey server, DateTimeOffset at, ActivityKind kind, CancellationToken cancellationToken)
    {
        try
        {
            await store.Servers.ChangeAsync(server, record => ActivityMerge.Forward(record, at, kind), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ActivityWriteFailed(logger, LogText.Cap(server.ToString()), ex.GetType().Name);
        }
    }
}
