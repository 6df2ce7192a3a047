using System.Runtime.CompilerServices;
using Hub.Core.Store;
using Hub.Core.Usage;
using Hub.Core.Users;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning;

/// <summary>
/// <see cref="IServerLifecycle"/> on top of the reconcile loop: a request records what is wanted, hands the server to
/// the <see cref="ReconcileScheduler"/>, and waits a short while (JupyterHub's slow-spawn and slow-stop timeouts) for
/// the outcome; the progress stream reads the record and drives the loop while someone watches.
/// </summary>
public sealed class ServerLifecycle(
    IHubStore store,
    SpawnerOptions spawnerOptions,
    LimitsOptions limits,
    SpawnBoard board,
    ReconcileScheduler scheduler,
    ServerChangeSignal signal,
    IStartAdmission admission,
    UsageLedger usage,
    TimeProvider time,
    ILogger<ServerLifecycle> logger) : IServerLifecycle
{
    /// <summary>How often a progress stream reads the record when no change is signalled in this process.</summary>
    public static readonly TimeSpan ProgressPollInterval = TimeSpan.FromSeconds(1);

    public async Task<StartResult> RequestStartAsync(ServerKey server, StartOptions options, CancellationToken cancellationToken = default)
    {
        var profile = spawnerOptions.FindProfile(options.Profile);
        if (profile is null)
        {
            string offered = string.Join(", ", spawnerOptions.ParsedProfiles.Select(p => p.Slug));
            return new StartResult(StartStatus.InvalidOptions, $"There is no profile '{UserNamePolicy.Shorten(options.Profile!)}'; choose one of: {offered}.");
        }
        var owner = await store.Users.GetAsync(server.User, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"There is no user '{UserNamePolicy.Shorten(server.User)}'.");
        if (await new NamedServerLimit(store, spawnerOptions).ReserveAsync(server, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return new StartResult(StartStatus.InvalidOptions, refusal);
        }

        while (true)
        {
            // One query of the user's servers instead of a read of this one: a usage quota counts the others' current
            // runs, and a start with a quota then costs one more read (its usage rows), not two.
            var servers = await ServersOfAsync(server.User, cancellationToken).ConfigureAwait(false);
            var record = servers.FirstOrDefault(r => r.Name == server.Server);
            if (record is { Desired: ServerDesiredState.Running })
            {
                if (record.Phase == ServerPhase.Running)
                {
                    return new StartResult(StartStatus.AlreadyRunning, $"{ServerName(server)} is already running");
                }
                scheduler.ScheduleNow(server);
                return await WaitForStartAsync(server, cancellationToken).ConfigureAwait(false);
            }
            if (record is { Phase: ServerPhase.Stopping })
            {
                return new StartResult(StartStatus.StopPending, $"{ServerName(server)} is pending stop");
            }
            if (await admission.CheckAsync(owner, server, servers, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }
            if (limits.ActiveServers > 0)
            {
                var view = await board.GetAsync(ServerReconciler.QueueCheckInterval, cancellationToken).ConfigureAwait(false);
                if (view.Active >= limits.ActiveServers)
                {
                    return new StartResult(StartStatus.Throttled,
                        $"The hub is running as many servers as it may ({limits.ActiveServers}). Try again in {Durations.Describe(limits.RetryAfter)}.",
                        limits.RetryAfter);
                }
            }

            var now = time.GetUtcNow();
            if (record is not null && record.Phase is not (ServerPhase.Stopped or ServerPhase.Failed))
            {
                await usage.RecordRunEndAsync(record, now, cancellationToken).ConfigureAwait(false);
            }
            // A server still running while its stop waits to be stepped keeps running for this start: its run so far
            // is counted now, the new one from when it is ready again. A stopped record has no run left to count.
            var previous = record is null ? new ServerRecord { User = server.User, Name = server.Server }
                : record.Phase is ServerPhase.Stopped or ServerPhase.Failed ? record : ServerUsage.EndRun(record, now);
            var wanted = previous with
            {
                Desired = ServerDesiredState.Running,
                Phase = ServerPhase.Queued,
                PhaseSince = now,
                Requested = now,
                Profile = profile.Slug,
                Message = null,
                Failure = null,
                Attempts = 0,
                Admitted = null,
                Launched = null,
                NextCheck = null,
                Target = null,
                Started = null,
            };
            var written = record is null
                ? await store.Servers.CreateAsync(wanted, cancellationToken).ConfigureAwait(false)
                : await store.Servers.ReplaceAsync(wanted, cancellationToken).ConfigureAwait(false);
            if (!written.Succeeded)
            {
                continue; // someone else wrote first: decide again on what they wrote
            }
            signal.Notify(server);
            board.NoteRequested(server);
            SpawnLog.StartRequested(logger, SpawnLog.Name(server), profile.Slug);
            scheduler.ScheduleNow(server);
            return await WaitForStartAsync(server, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<ServerRecord>> ServersOfAsync(string user, CancellationToken cancellationToken)
    {
        var servers = new List<ServerRecord>();
        await foreach (var record in store.Servers.ListForUserAsync(user, cancellationToken).ConfigureAwait(false))
        {
            servers.Add(record);
        }
        return servers;
    }

    public async Task<StopResult> RequestStopAsync(ServerKey server, CancellationToken cancellationToken = default) =>
        await RecordStopAsync(server, cancellationToken).ConfigureAwait(false)
            ? new StopResult(StopStatus.Stopped)
            : await WaitForStopAsync(server, cancellationToken).ConfigureAwait(false);

    public async Task<StopResult> BeginStopAsync(ServerKey server, CancellationToken cancellationToken = default) =>
        await RecordStopAsync(server, cancellationToken).ConfigureAwait(false)
            ? new StopResult(StopStatus.Stopped)
            : new StopResult(StopStatus.Pending, "Stopping");

    public async Task<StopResult?> BeginStopIfUnchangedAsync(ServerRecord seen, CancellationToken cancellationToken = default) =>
        await TryRecordStopAsync(seen.Key, seen, cancellationToken).ConfigureAwait(false) switch
        {
            null => null,
            true => new StopResult(StopStatus.Stopped),
            false => new StopResult(StopStatus.Pending, "Stopping"),
        };

    /// <summary>Records the wish to stop and wakes the reconcile loop; <c>true</c> if the server was not running at all.</summary>
    private async Task<bool> RecordStopAsync(ServerKey server, CancellationToken cancellationToken)
    {
        while (true)
        {
            var record = await store.Servers.GetAsync(server, cancellationToken).ConfigureAwait(false);
            if (await TryRecordStopAsync(server, record, cancellationToken).ConfigureAwait(false) is { } notRunning)
            {
                return notRunning;
            }
        }
    }

    /// <summary>
    /// Records the wish to stop on <paramref name="record"/> as read, at its version, writing only the fields a stop
    /// changes (so a partial record will do); <c>null</c> if someone wrote first.
    /// </summary>
    private async Task<bool?> TryRecordStopAsync(ServerKey server, ServerRecord? record, CancellationToken cancellationToken)
    {
        if (record is null || record.Phase is ServerPhase.Stopped or ServerPhase.Failed && record.Desired == ServerDesiredState.Stopped)
        {
            return true;
        }
        if (record.Desired == ServerDesiredState.Running)
        {
            var wanted = record with { Desired = ServerDesiredState.Stopped, Message = null };
            if (record.Phase == ServerPhase.Queued)
            {
                wanted = wanted with { Phase = ServerPhase.Stopped, PhaseSince = time.GetUtcNow() };
            }
            var written = await store.Servers.WriteStopRequestAsync(wanted, cancellationToken).ConfigureAwait(false);
            switch (written.Status)
            {
                case StoreWriteStatus.NotFound:
                    return true;
                case not StoreWriteStatus.Written:
                    return null;
            }
            signal.Notify(server);
            board.NoteStopped(server);
            SpawnLog.StopRequested(logger, SpawnLog.Name(server));
        }
        scheduler.ScheduleNow(server);
        return false;
    }

    public async IAsyncEnumerable<SpawnProgress> WatchAsync(ServerKey server, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        SpawnProgress? last = null;
        bool first = true;
        while (true)
        {
            var record = await store.Servers.GetAsync(server, cancellationToken).ConfigureAwait(false);
            if (first && (record is null || IsStoppedWithoutFailure(record)))
            {
                throw new ServerNotStartingException(server);
            }
            first = false;
            if (record is null)
            {
                yield return new SpawnProgress(100, "Spawn cancelled: the server was removed", Failed: true);
                yield break;
            }

            int? position = null;
            int queueLength = 0;
            if (record.Phase == ServerPhase.Queued && record.Desired == ServerDesiredState.Running)
            {
                var view = await board.GetAsync(ServerReconciler.QueueCheckInterval, cancellationToken).ConfigureAwait(false);
                position = view.PositionOf(server) ?? view.Queue.Count + 1;
                queueLength = view.Queue.Count;
            }
            var progress = SpawnProgressReport.For(record, position, queueLength);
            if (progress != last)
            {
                yield return progress;
                last = progress;
            }
            if (progress.Ready || progress.Failed)
            {
                yield break;
            }

            // Watching drives the loop too (the server may have been started by an instance that is gone).
            var now = time.GetUtcNow();
            scheduler.Schedule(server, record.NextCheck is { } next && next > now ? next : now);
            await signal.WaitAsync(server, ProgressPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StartResult> WaitForStartAsync(ServerKey server, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + spawnerOptions.SlowSpawnTimeout;
        while (true)
        {
            var record = await store.Servers.GetAsync(server, cancellationToken).ConfigureAwait(false);
            if (record is { Phase: ServerPhase.Running, Desired: ServerDesiredState.Running })
            {
                return new StartResult(StartStatus.Ready);
            }
            if (record?.Failure is not null)
            {
                return new StartResult(StartStatus.Failed, record.Message ?? "The server failed to start.");
            }
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero || record is null || record.Desired == ServerDesiredState.Stopped)
            {
                return new StartResult(StartStatus.Pending, record?.Message ?? SpawnProgressReport.CreatingMessage);
            }
            await signal.WaitAsync(server, left < ProgressPollInterval ? left : ProgressPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StopResult> WaitForStopAsync(ServerKey server, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + spawnerOptions.SlowStopTimeout;
        while (true)
        {
            var record = await store.Servers.GetAsync(server, cancellationToken).ConfigureAwait(false);
            if (record is null || record.Phase is ServerPhase.Stopped or ServerPhase.Failed)
            {
                return new StopResult(StopStatus.Stopped);
            }
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero || record.Desired == ServerDesiredState.Running)
            {
                return new StopResult(StopStatus.Pending, "Stopping");
            }
            await signal.WaitAsync(server, left < ProgressPollInterval ? left : ProgressPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsStoppedWithoutFailure(ServerRecord record) =>
        record.Failure is null && record.Desired == ServerDesiredState.Stopped;

    private static string ServerName(ServerKey server) => UserNamePolicy.Shorten(server.ToString());
}
