using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Core.Tests.Spawning.Lifecycle;

/// <summary>How a <see cref="ScriptedSpawner"/>'s servers behave once started.</summary>
internal enum SpawnerScript
{
    /// <summary>Creating until <see cref="ScriptedSpawner.Release"/>, then running at the spawner's target.</summary>
    Slow,

    /// <summary>Running at the spawner's target at once (whether it answers HTTP is up to the target).</summary>
    Instant,

    /// <summary>Failed at once with <see cref="ScriptedSpawner.FailureMessage"/>.</summary>
    Failing,
}

/// <summary>
/// A spawner that keeps its "resources" in memory and behaves as its script says, keeping to the
/// <see cref="ISpawner"/> contract (a repeated start finds what the first created; stop removes; list reports what
/// exists), and counting the calls, so a test can see what the real lifecycle asked of it.
/// </summary>
internal sealed class ScriptedSpawner(SpawnerScript script, Uri target) : ISpawner
{
    public const string FailureMessage = "The image 'course/notebook:missing' does not exist.";

    private readonly ConcurrentDictionary<ServerKey, int> _resources = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _creations;
    private int _removals;

    public string Kind => "scripted";

    /// <summary>How many times resources were created (a repeated start that found them does not count).</summary>
    public int Creations => Volatile.Read(ref _creations);

    /// <summary>How many times existing resources were removed.</summary>
    public int Removals => Volatile.Read(ref _removals);

    /// <summary>Whether the server's resources exist now.</summary>
    public bool Exists(ServerKey server) => _resources.ContainsKey(server);

    /// <summary>Lets slow servers finish creating.</summary>
    public void Release() => _released.TrySetResult();

    public Task<SpawnerObservation> StartAsync(SpawnerStart start, CancellationToken cancellationToken)
    {
        if (_resources.TryAdd(start.Key, start.Attempt))
        {
            Interlocked.Increment(ref _creations);
        }
        return Task.FromResult(Observe(start.Key));
    }

    public Task<SpawnerObservation> PollAsync(SpawnerServer server, CancellationToken cancellationToken) => Task.FromResult(Observe(server.Key));

    public Task<SpawnerObservation> StopAsync(SpawnerServer server, CancellationToken cancellationToken)
    {
        if (_resources.TryRemove(server.Key, out _))
        {
            Interlocked.Increment(ref _removals);
        }
        return Task.FromResult(new SpawnerObservation(SpawnerStatus.Absent));
    }

    public async IAsyncEnumerable<SpawnedServer> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var server in _resources.Keys)
        {
            yield return new SpawnedServer(server, $"scripted-{server}", State: null);
        }
    }

    private SpawnerObservation Observe(ServerKey server)
    {
        if (!_resources.ContainsKey(server))
        {
            return new SpawnerObservation(SpawnerStatus.Absent);
        }
        return script switch
        {
            SpawnerScript.Failing => new SpawnerObservation(SpawnerStatus.Failed, Message: FailureMessage, Detail: "pull access denied"),
            SpawnerScript.Slow when !_released.Task.IsCompleted => new SpawnerObservation(SpawnerStatus.Creating, RetryAfter: TimeSpan.FromMilliseconds(50)),
            _ => new SpawnerObservation(SpawnerStatus.Running, Target: target),
        };
    }
}
