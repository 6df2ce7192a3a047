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
/// as its activity, moving forward only; nothing is written for the other servers that stay. A stop is one
/// conditional write on the record as the query read it (its version): a record that changed since is read again
/// and decided again.
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
            try
            {
                var outcome = await StopUnlessChangedAsync(stop.Server, stop.Decision, stop.Reported, now, token).ConfigureAwait(false);
                switch (outcome)
                {
                    case null:
                        return;
                    case { Action: CullAction.Keep }:
                        Interlocked.Increment(ref keptActive);
                        return;
                    default:
                        Interlocked.Increment(ref outcome.Reason == CullReason.MaxAge ? ref culledMaxAge : ref culledIdle);
                        Log.ServerCulled(logger, LogText.Cap(stop.Server.Key.ToString()), outcome.Reason, outcome.Idle);
                        return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                Interlocked.Increment(ref stopFailures);
                Log.CullStopFailed(logger, LogText.Cap(stop.Server.Key.ToString()), ex);
            }
        }).ConfigureAwait(false);

        var stopped = time.GetElapsedTime(started);
        int usersRemoved = await users.RemoveAsync(now, cancellationToken).ConfigureAwait(false);

        return new CullRunSummary(servers.Count, pending, idleLooking.Count, probeFailures, keptActive, keptBusy,
            culledIdle, culledMaxAge, stopFailures, usersRemoved, time.GetElapsedTime(started), new CullPhases(read, asked - read, stopped - asked));
    }

    /// <summary>
    /// Stops a server on the record the run read, at its version: no read before the write. If the record changed
    /// since (the gateway recorded activity, the server was started or stopped again), it is read again and decided
    /// again, so what landed in between wins.
    /// </summary>
    /// <returns>The decision the stop was made on (or why the server stays); <c>null</c> if the record is gone or stopped already.</returns>
    private async Task<CullDecision?> StopUnlessChangedAsync(ServerRecord read, CullDecision decision, ServerActivity? reported, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = read;
        for (int attempt = 1; ; attempt++)
        {
            if (await lifecycle.BeginStopIfUnchangedAsync(current, cancellationToken).ConfigureAwait(false) is not null)
            {
                return decision;
            }
            if (attempt == MaxStopAttempts)
            {
                throw new InvalidOperationException($"The record changed {attempt} times while it was being stopped; the next run decides again.");
            }
            var fresh = await store.Servers.GetAsync(current.Key, cancellationToken).ConfigureAwait(false);
            if (fresh is null)
            {
                return null;
            }
            decision = CullPolicy.Decide(new CullCandidate(fresh, reported), now, options);
            if (decision.Reason == CullReason.NotRunning)
            {
                // Stopped in between, by someone else or by this write when a try that had landed was retried:
                // either way nothing is left to do, and the server was not kept.
                return null;
            }
            if (decision.Action != CullAction.Stop)
            {
                return decision;
            }
            current = fresh;
        }
    }

    /// <summary>Lost races in a row after which a stop is left to the next run: the record is being written to all the time.</summary>
    private const int MaxStopAttempts = 5;

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
