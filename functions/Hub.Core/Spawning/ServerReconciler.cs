using System.Collections.Concurrent;
using System.Diagnostics;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Core.Usage;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning;

/// <summary>
/// Moves one server from its observed state towards its desired state in idempotent steps. Each step reads the
/// record, decides, acts, and writes the result conditionally on the record's version; a side effect (asking the
/// spawner to create or remove resources) is always claimed by a record write first. A step may be repeated or cut off
/// at any point (a killed control plane, two instances stepping the same server): the next step reads where things
/// stand and continues, and the spawner's idempotence keeps a repeated start from creating a second server.
/// Whoever comes first drives the steps: the start request, a progress poll, the scheduler or the reconcile timer.
/// </summary>
public sealed class ServerReconciler(
    IHubStore store,
    ISpawner spawner,
    SpawnerOptions spawnerOptions,
    LimitsOptions limits,
    ServerTokenSource tokens,
    ReadinessProbe probe,
    SpawnBoard board,
    ServerChangeSignal signal,
    UsageLedger usage,
    TimeProvider time,
    ILogger<ServerReconciler> logger,
    Hosting.HubOptions? hub = null)
{
    /// <summary>How often a queued server checks for a free slot.</summary>
    public static readonly TimeSpan QueueCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often a started server is asked whether it answers HTTP.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The next look when the spawner names no time.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The next try after a step threw.</summary>
    public static readonly TimeSpan ErrorRetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits shorter than this are not written to the record when nothing else changed (a poll every second or two
    /// while a container group provisions); longer ones are, so that every instance honours them.
    /// </summary>
    private static readonly TimeSpan UnrecordedWaitLimit = TimeSpan.FromSeconds(5);

    private const int MaxTransitionsPerStep = 16;

    private readonly ConcurrentDictionary<ServerKey, byte> _stepping = new();

    /// <summary>The spawner this loop drives.</summary>
    public ISpawner Spawner => spawner;

    /// <summary>
    /// Advances the server as far as it can without waiting. Returns when it should be stepped again, or <c>null</c>
    /// when nothing is left to do until someone asks for a change. Never throws for a failing spawner or store:
    /// the failure is logged and a retry time returned.
    /// </summary>
    public async Task<DateTimeOffset?> StepAsync(ServerKey server, CancellationToken cancellationToken)
    {
        if (!_stepping.TryAdd(server, 0))
        {
            // Another caller in this process is stepping it; look again shortly rather than run side by side.
            return time.GetUtcNow() + TimeSpan.FromMilliseconds(200);
        }
        using var activity = SpawnTracing.StartStep(server);
        try
        {
            for (int i = 0; i < MaxTransitionsPerStep; i++)
            {
                var record = await store.Servers.GetAsync(server, cancellationToken).ConfigureAwait(false);
                if (record is null)
                {
                    return null;
                }
                var next = await DecideAsync(record, cancellationToken).ConfigureAwait(false);
                if (!next.Again)
                {
                    return next.Due;
                }
            }
            return time.GetUtcNow();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            SpawnLog.StepFailed(logger, ex, SpawnLog.Name(server), ErrorRetryInterval);
            return time.GetUtcNow() + ErrorRetryInterval;
        }
        finally
        {
            _stepping.TryRemove(server, out _);
        }
    }

    /// <summary>
    /// For the sweep: a server recorded as running whose resources were not listed. Confirms with the spawner, and if
    /// they are gone, turns the record into a stop (route removed, phase stopped). Returns whether it was gone.
    /// </summary>
    public async Task<bool> CheckRunningAsync(ServerKey server, CancellationToken cancellationToken)
    {
        var record = await store.Servers.GetAsync(server, cancellationToken).ConfigureAwait(false);
        if (record is not { Phase: ServerPhase.Running, Desired: ServerDesiredState.Running })
        {
            return false;
        }
        var seen = await spawner.PollAsync(new SpawnerServer(server, record.SpawnerState), cancellationToken).ConfigureAwait(false);
        if (seen.Status is SpawnerStatus.Running or SpawnerStatus.Starting or SpawnerStatus.Creating or SpawnerStatus.Waiting)
        {
            return false;
        }
        SpawnLog.ServerDied(logger, SpawnLog.Name(server));
        board.NoteStopped(server);
        await WriteAsync(Enter(record, ServerPhase.Stopping) with
        {
            Desired = ServerDesiredState.Stopped,
            Message = "Your server stopped unexpectedly. Start it again to continue; your files are kept.",
            NextCheck = null,
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private Task<Next> DecideAsync(ServerRecord record, CancellationToken cancellationToken)
    {
        if (record.Desired == ServerDesiredState.Stopped)
        {
            return record.Phase switch
            {
                ServerPhase.Stopped or ServerPhase.Failed => Task.FromResult(Next.Idle),
                // Nothing was created for a queued start: the spawner is only called after leaving the queue.
                ServerPhase.Queued => ContinueAfterAsync(Enter(record, ServerPhase.Stopped) with { NextCheck = null }, cancellationToken),
                _ => StopStepAsync(record, cancellationToken),
            };
        }
        return record.Phase switch
        {
            ServerPhase.Stopped or ServerPhase.Failed => ContinueAfterAsync(Enter(record, ServerPhase.Queued) with { Requested = record.Requested ?? time.GetUtcNow() }, cancellationToken),
            ServerPhase.Queued => AdmitAsync(record, cancellationToken),
            ServerPhase.Creating or ServerPhase.Starting or ServerPhase.WaitingForHttp => StartStepAsync(record, cancellationToken),
            ServerPhase.Stopping => StopStepAsync(record, cancellationToken),
            _ => Task.FromResult(Next.Idle),
        };
    }

    private async Task<Next> AdmitAsync(ServerRecord record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var view = await board.GetAsync(QueueCheckInterval, cancellationToken).ConfigureAwait(false);
        int position = view.PositionOf(record.Key) ?? view.Queue.Count + 1;
        int free = limits.ConcurrentSpawns == 0 ? int.MaxValue : limits.ConcurrentSpawns - view.InFlight;
        if (position > free)
        {
            return Next.At(now + QueueCheckInterval);
        }

        var admitted = await WriteAsync(Enter(record, ServerPhase.Creating) with
        {
            Admitted = now,
            // Nothing runs before admission; a Started left here (rows from before server-hours) is no current run.
            Started = null,
            Attempts = 1,
            Launched = null,
            TokenNonce = ServerTokens.NewNonce(),
            Target = null,
            Failure = null,
            NextCheck = null,
            Message = SpawnProgressReport.CreatingMessage,
        }, cancellationToken).ConfigureAwait(false);
        if (admitted is not null)
        {
            board.NoteAdmitted(record.Key);
            SpawnLog.Admitted(logger, SpawnLog.Name(record.Key), now - (record.Requested ?? now));
        }
        return Next.Continue;
    }

    private async Task<Next> StartStepAsync(ServerRecord record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var admitted = record.Admitted ?? record.PhaseSince ?? now;
        var deadline = admitted + limits.StartTimeout;
        if (now >= deadline)
        {
            return await FailAsync(record, "timeout", $"Your server did not start within {Durations.Describe(limits.StartTimeout)}.",
                $"start timeout {limits.StartTimeout} passed in phase {record.Phase}", cancellationToken).ConfigureAwait(false);
        }
        if (record.NextCheck is { } nextCheck && nextCheck > now)
        {
            return Next.At(nextCheck < deadline ? nextCheck : deadline);
        }
        if (record.TokenNonce is null)
        {
            return await ContinueAfterAsync(record with { TokenNonce = ServerTokens.NewNonce() }, cancellationToken).ConfigureAwait(false);
        }

        string token = tokens.TokenFor(record.Key, record.TokenNonce);
        var profile = spawnerOptions.FindProfile(record.Profile) ?? spawnerOptions.FindProfile(null)!;
        var seen = record.Launched is null
            ? await spawner.StartAsync(new SpawnerStart(record.Key, record.SpawnerState, token, profile, Math.Max(1, record.Attempts))
            {
                HubApiUrl = spawnerOptions.EffectiveHubApiUrl((hub ?? new Hosting.HubOptions()).PublicUrl),
                ServerKind = spawnerOptions.KindOf(profile),
            }, cancellationToken).ConfigureAwait(false)
            : await spawner.PollAsync(new SpawnerServer(record.Key, record.SpawnerState), cancellationToken).ConfigureAwait(false);
        string? state = seen.State ?? record.SpawnerState;
        now = time.GetUtcNow();

        switch (seen.Status)
        {
            case SpawnerStatus.Waiting:
            {
                var retryAfter = seen.RetryAfter ?? ErrorRetryInterval;
                SpawnLog.Waiting(logger, SpawnLog.Name(record.Key), retryAfter, spawner.Kind, seen.Detail ?? seen.Message ?? "no reason given");
                return await WaitAsync(record with { SpawnerState = state, Message = seen.Message ?? SpawnProgressReport.WaitingForCapacityMessage }, now + retryAfter, cancellationToken).ConfigureAwait(false);
            }
            case SpawnerStatus.Creating or SpawnerStatus.Starting:
            {
                var phase = seen.Status == SpawnerStatus.Creating ? ServerPhase.Creating : ServerPhase.Starting;
                var next = Enter(record, phase) with
                {
                    Launched = record.Launched ?? now,
                    SpawnerState = state,
                    Message = seen.Message ?? SpawnProgressReport.MessageFor(phase),
                };
                var retryAfter = seen.RetryAfter ?? DefaultPollInterval;
                if (next == record with { NextCheck = next.NextCheck } && retryAfter < UnrecordedWaitLimit)
                {
                    // Nothing new to record and a short wait: spare the store a write per poll.
                    return Next.At(now + retryAfter);
                }
                return await WaitAsync(next, now + retryAfter, cancellationToken).ConfigureAwait(false);
            }
            case SpawnerStatus.Running when seen.Target is not null:
                return await ProbeAsync(record, seen.Target, state, token, cancellationToken).ConfigureAwait(false);
            case SpawnerStatus.Failed:
                return await AttemptFailedAsync(record, "failed", seen.Message ?? "Your server failed to start.", seen.Detail ?? seen.Message ?? "the spawner reported a failure", cancellationToken).ConfigureAwait(false);
            case SpawnerStatus.Absent when record.Launched is not null:
                return await AttemptFailedAsync(record, "exited", "Your server stopped while it was starting.", "its resources disappeared after the start", cancellationToken).ConfigureAwait(false);
            default:
                // Absent before the start was accepted, or still being removed from an earlier attempt: look again.
                return await WaitAsync(record with { SpawnerState = state }, now + (seen.RetryAfter ?? DefaultPollInterval), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Next> ProbeAsync(ServerRecord record, Uri target, string? state, string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (record.Phase != ServerPhase.WaitingForHttp || record.Launched is null || record.Target != target.AbsoluteUri || record.SpawnerState != state || record.NextCheck is not null)
        {
            var waiting = await WriteAsync(Enter(record, ServerPhase.WaitingForHttp) with
            {
                Launched = record.Launched ?? now,
                Target = target.AbsoluteUri,
                SpawnerState = state,
                NextCheck = null,
                Message = SpawnProgressReport.MessageFor(ServerPhase.WaitingForHttp),
            }, cancellationToken).ConfigureAwait(false);
            if (waiting is null)
            {
                return Next.Continue;
            }
            record = waiting;
        }

        if (await probe.IsReadyAsync(target, record.Key, token, cancellationToken).ConfigureAwait(false))
        {
            return await PublishAsync(record, target, cancellationToken).ConfigureAwait(false);
        }
        now = time.GetUtcNow();
        if (now - (record.PhaseSince ?? now) >= limits.HttpTimeout)
        {
            return await AttemptFailedAsync(record, "http-timeout", $"Your server did not answer within {Durations.Describe(limits.HttpTimeout)}.",
                $"no 200 from {ServerUrls.StatusPath(record.Key)} at {target} within {limits.HttpTimeout}", cancellationToken).ConfigureAwait(false);
        }
        return Next.At(now + ProbeInterval);
    }

    private async Task<Next> PublishAsync(ServerRecord record, Uri target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // The route first: if the control plane dies in between, the next step probes again and rewrites it.
        await store.Routes.UpsertAsync(new RouteRecord
        {
            User = record.User,
            Server = record.Name,
            Target = target,
            TokenNonce = record.TokenNonce!,
            HubAware = spawnerOptions.KindOf(spawnerOptions.FindProfile(record.Profile) ?? spawnerOptions.FindProfile(null)!) == ServerKind.JupyterhubSingleuser,
            Updated = now,
        }, cancellationToken).ConfigureAwait(false);
        var running = await WriteAsync(Enter(record, ServerPhase.Running) with
        {
            Started = now,
            Message = null,
            NextCheck = null,
            Failure = null,
        }, cancellationToken).ConfigureAwait(false);
        if (running is null)
        {
            // Changed meanwhile (a stop, most likely): the next transition removes the route again if needed.
            return Next.Continue;
        }
        board.NoteSettled(record.Key);
        SpawnLog.Ready(logger, SpawnLog.Name(record.Key), target, now - (record.Requested ?? now), Math.Max(1, record.Attempts));
        return Next.Idle;
    }

    private async Task<Next> AttemptFailedAsync(ServerRecord record, string reason, string message, string detail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var admitted = record.Admitted ?? now;
        bool timeLeft = now - admitted < limits.StartTimeout;
        if (record.Attempts >= limits.StartAttempts || !timeLeft)
        {
            return await FailAsync(record, reason, message, detail, cancellationToken).ConfigureAwait(false);
        }
        int attempt = Math.Max(1, record.Attempts) + 1;
        SpawnLog.AttemptFailed(logger, SpawnLog.Name(record.Key), attempt - 1, reason, detail);
        // Remove what the failed attempt left, then create again (the stop step turns Stopping into Creating).
        return await ContinueAfterAsync(Enter(record, ServerPhase.Stopping) with
        {
            Attempts = attempt,
            NextCheck = null,
            Message = $"{message} Trying again (attempt {attempt} of {limits.StartAttempts}).",
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Next> FailAsync(ServerRecord record, string reason, string message, string detail, CancellationToken cancellationToken)
    {
        SpawnLog.StartFailed(logger, SpawnLog.Name(record.Key), reason, detail);
        var failed = await WriteAsync(Enter(record, ServerPhase.Stopping) with
        {
            Desired = ServerDesiredState.Stopped,
            Failure = reason,
            Message = message,
            NextCheck = null,
        }, cancellationToken).ConfigureAwait(false);
        if (failed is not null)
        {
            board.NoteStopped(record.Key);
        }
        return Next.Continue;
    }

    private async Task<Next> StopStepAsync(ServerRecord record, CancellationToken cancellationToken)
    {
        if (record.Phase != ServerPhase.Stopping)
        {
            return await ContinueAfterAsync(Enter(record, ServerPhase.Stopping) with { NextCheck = null }, cancellationToken).ConfigureAwait(false);
        }
        var now = time.GetUtcNow();
        if (record.Desired == ServerDesiredState.Running && now - (record.Admitted ?? now) >= limits.StartTimeout)
        {
            // Cleaning up a failed attempt took the rest of the start's time.
            return await FailAsync(record, "timeout", $"Your server did not start within {Durations.Describe(limits.StartTimeout)}.",
                $"start timeout {limits.StartTimeout} passed while removing a failed attempt", cancellationToken).ConfigureAwait(false);
        }
        if (record.NextCheck is { } nextCheck && nextCheck > now)
        {
            return Next.At(nextCheck);
        }

        // The route goes first, so the gateway stops sending requests to a server that is going away.
        await store.Routes.DeleteAsync(record.Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        var server = new SpawnerServer(record.Key, record.SpawnerState);
        var seen = await spawner.PollAsync(server, cancellationToken).ConfigureAwait(false);
        if (seen.Status is SpawnerStatus.Creating or SpawnerStatus.Starting or SpawnerStatus.Running or SpawnerStatus.Failed)
        {
            seen = await spawner.StopAsync(server with { State = seen.State ?? record.SpawnerState }, cancellationToken).ConfigureAwait(false);
        }
        string? state = seen.State ?? record.SpawnerState;
        now = time.GetUtcNow();

        if (seen.Status != SpawnerStatus.Absent)
        {
            if (seen.Status == SpawnerStatus.Waiting)
            {
                SpawnLog.Waiting(logger, SpawnLog.Name(record.Key), seen.RetryAfter ?? ErrorRetryInterval, spawner.Kind, seen.Detail ?? seen.Message ?? "no reason given");
            }
            return await WaitAsync(record with { SpawnerState = state }, now + (seen.RetryAfter ?? DefaultPollInterval), cancellationToken).ConfigureAwait(false);
        }

        if (record.Desired == ServerDesiredState.Running)
        {
            // A failed attempt is cleaned up: create again with a fresh token (and count a run that ended here).
            await usage.RecordRunEndAsync(record, now, cancellationToken).ConfigureAwait(false);
            return await ContinueAfterAsync(Enter(ServerUsage.EndRun(record, now), ServerPhase.Creating) with
            {
                Launched = null,
                Target = null,
                NextCheck = null,
                SpawnerState = state,
                TokenNonce = ServerTokens.NewNonce(),
            }, cancellationToken).ConfigureAwait(false);
        }

        // The run is counted in the same conditional write that ends it, so a repeated step cannot count it twice;
        // its usage row is written first and keyed by the run's start, so writing it again replaces it.
        await usage.RecordRunEndAsync(record, now, cancellationToken).ConfigureAwait(false);
        var stopped = await WriteAsync(Enter(ServerUsage.EndRun(record, now), record.Failure is null ? ServerPhase.Stopped : ServerPhase.Failed) with
        {
            Launched = null,
            Target = null,
            NextCheck = null,
            SpawnerState = state,
        }, cancellationToken).ConfigureAwait(false);
        if (stopped is null)
        {
            return Next.Continue;
        }
        SpawnLog.Stopped(logger, SpawnLog.Name(record.Key));
        return Next.Idle;
    }

    private async Task<Next> WaitAsync(ServerRecord next, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var written = await WriteAsync(next with { NextCheck = due }, cancellationToken).ConfigureAwait(false);
        return written is null ? Next.Continue : Next.At(due);
    }

    private async Task<Next> ContinueAfterAsync(ServerRecord next, CancellationToken cancellationToken)
    {
        await WriteAsync(next, cancellationToken).ConfigureAwait(false);
        return Next.Continue;
    }

    /// <summary>Writes if nobody else wrote since <paramref name="next"/>'s version was read; <c>null</c> if someone did.</summary>
    private async Task<ServerRecord?> WriteAsync(ServerRecord next, CancellationToken cancellationToken)
    {
        var result = await store.Servers.ReplaceAsync(next, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }
        signal.Notify(next.Key);
        return result.Record;
    }

    private ServerRecord Enter(ServerRecord record, ServerPhase phase) =>
        record.Phase == phase ? record : record with { Phase = phase, PhaseSince = time.GetUtcNow() };

    private readonly record struct Next(bool Again, DateTimeOffset? Due)
    {
        public static readonly Next Continue = new(true, null);
        public static readonly Next Idle = new(false, null);

        public static Next At(DateTimeOffset due) => new(false, due);
    }
}
