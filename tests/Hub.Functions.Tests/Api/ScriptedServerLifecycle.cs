using System.Runtime.CompilerServices;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Functions.Tests.Api;

/// <summary>How the test spawner behaves, after JupyterHub's named test spawners.</summary>
public enum SpawnBehavior
{
    /// <summary>Ready at once (201).</summary>
    Instant,

    /// <summary>A slow spawner: pending (202), progress events, ready when <see cref="ScriptedServerLifecycle.FinishSpawn"/> is called.</summary>
    Slow,

    /// <summary>Never starts: stays pending forever.</summary>
    NeverStarting,

    /// <summary>Fails: pending, then a failed event.</summary>
    Failing,

    /// <summary>Refuses with 429 (a spawn limit was reached).</summary>
    Throttled,
}

/// <summary>
/// A test implementation of <see cref="IServerLifecycle"/> that keeps server records in the real store, as the
/// real lifecycle does, but runs nothing. It lives in the tests only: the app has no fake spawner.
/// </summary>
public sealed class ScriptedServerLifecycle(IHubStore store) : IServerLifecycle
{
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SpawnBehavior Behavior { get; set; } = SpawnBehavior.Instant;

    /// <summary>Whether a stop completes at once (204) or stays pending (202).</summary>
    public bool SlowStop { get; set; }

    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(42);

    public List<(ServerKey Server, StartOptions Options)> Starts { get; } = [];

    public List<ServerKey> Stops { get; } = [];

    public void FinishSpawn() => _finish.TrySetResult();

    public async Task<StartResult> RequestStartAsync(ServerKey server, StartOptions options, CancellationToken cancellationToken = default)
    {
        lock (Starts)
        {
            Starts.Add((server, options));
        }
        var existing = await store.Servers.GetAsync(server, cancellationToken);
        if (existing is { Phase: ServerPhase.Running })
        {
            return new StartResult(StartStatus.AlreadyRunning);
        }
        if (existing is { Phase: ServerPhase.Stopping })
        {
            return new StartResult(StartStatus.StopPending);
        }
        if (Behavior == SpawnBehavior.Throttled)
        {
            return new StartResult(StartStatus.Throttled, "Too many servers are starting; you are not queued.", RetryAfter);
        }
        var now = DateTimeOffset.UtcNow;
        var phase = Behavior == SpawnBehavior.Instant ? ServerPhase.Running : ServerPhase.Starting;
        await store.Servers.UpsertAsync(new ServerRecord
        {
            User = server.User,
            Name = server.Server,
            Desired = ServerDesiredState.Running,
            Phase = phase,
            Requested = now,
            Started = phase == ServerPhase.Running ? now : null,
            Profile = options.Profile,
        }, cancellationToken);
        return new StartResult(phase == ServerPhase.Running ? StartStatus.Ready : StartStatus.Pending);
    }

    public async Task<StopResult> RequestStopAsync(ServerKey server, CancellationToken cancellationToken = default)
    {
        lock (Stops)
        {
            Stops.Add(server);
        }
        var changed = await store.Servers.ChangeAsync(server, s => s with
        {
            Desired = ServerDesiredState.Stopped,
            Phase = SlowStop ? ServerPhase.Stopping : ServerPhase.Stopped,
        }, cancellationToken);
        return new StopResult(changed is not null && SlowStop ? StopStatus.Pending : StopStatus.Stopped);
    }

    public Task<StopResult> BeginStopAsync(ServerKey server, CancellationToken cancellationToken = default) =>
        RequestStopAsync(server, cancellationToken);

    public async Task<StopResult?> BeginStopIfUnchangedAsync(ServerRecord seen, CancellationToken cancellationToken = default) =>
        (await store.Servers.GetAsync(seen.Key, cancellationToken))?.Version == seen.Version ? await RequestStopAsync(seen.Key, cancellationToken) : null;

    public async IAsyncEnumerable<SpawnProgress> WatchAsync(ServerKey server, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var record = await store.Servers.GetAsync(server, cancellationToken);
        if (record is { Phase: ServerPhase.Running })
        {
            yield return new SpawnProgress(100, "Server ready", Ready: true, Url: $"/user/{server.User}/");
            yield break;
        }
        if (record is null || record.Phase is ServerPhase.Stopped or ServerPhase.Stopping)
        {
            throw new ServerNotStartingException(server);
        }
        yield return new SpawnProgress(10, "Waiting for a free slot <b>(position 3)</b>", QueuePosition: 3);
        yield return new SpawnProgress(50, "Starting Jupyter");
        if (Behavior == SpawnBehavior.Failing)
        {
            yield return new SpawnProgress(100, "Spawn failed: the image could not be pulled", Failed: true);
            yield break;
        }
        await _finish.Task.WaitAsync(cancellationToken);
        await store.Servers.ChangeAsync(server, s => s with { Phase = ServerPhase.Running, Started = DateTimeOffset.UtcNow }, cancellationToken);
        yield return new SpawnProgress(100, "Server ready", Ready: true, Url: $"/user/{server.User}/");
    }
}
