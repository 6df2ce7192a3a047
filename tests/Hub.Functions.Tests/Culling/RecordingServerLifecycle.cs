using System.Collections.Concurrent;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Functions.Tests.Culling;

/// <summary>
/// Records the stops a cull run asks for and marks those servers stopped in the real store, as the real lifecycle ends
/// up doing, without processes behind them. Tests of the whole path (real lifecycle, real Jupyter) are in
/// <see cref="CullEndToEndTests"/>; here many servers are judged at once.
/// </summary>
public sealed class RecordingServerLifecycle(IHubStore store) : IServerLifecycle
{
    public ConcurrentBag<ServerKey> Stopped { get; } = [];

    public Task<StartResult> RequestStartAsync(ServerKey server, StartOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("a cull run never starts servers");

    public async Task<StopResult> RequestStopAsync(ServerKey server, CancellationToken cancellationToken = default)
    {
        Stopped.Add(server);
        await store.Servers.ChangeAsync(server, s => s with { Desired = ServerDesiredState.Stopped, Phase = ServerPhase.Stopped }, cancellationToken);
        return new StopResult(StopStatus.Stopped);
    }

    /// <summary>Recorded like <see cref="RequestStopAsync"/>.</summary>
    public Task<StopResult> BeginStopAsync(ServerKey server, CancellationToken cancellationToken = default) =>
        RequestStopAsync(server, cancellationToken);

    /// <summary>
    /// The culler's way: one conditional write at the version it read, as the real lifecycle writes it; stops that
    /// lost to a write in between are not recorded.
    /// </summary>
    public async Task<StopResult?> BeginStopIfUnchangedAsync(ServerRecord seen, CancellationToken cancellationToken = default)
    {
        var written = await store.Servers.WriteStopRequestAsync(seen with { Desired = ServerDesiredState.Stopped, Phase = ServerPhase.Stopped }, cancellationToken);
        if (written.Status == StoreWriteStatus.Changed)
        {
            ChangedBeforeStop.Add(seen.Key);
            return null;
        }
        if (written.Status == StoreWriteStatus.NotFound)
        {
            return new StopResult(StopStatus.Stopped);
        }
        Stopped.Add(seen.Key);
        return new StopResult(StopStatus.Stopped);
    }

    /// <summary>Stops not written because the record had changed since it was read.</summary>
    public ConcurrentBag<ServerKey> ChangedBeforeStop { get; } = [];

    public IAsyncEnumerable<SpawnProgress> WatchAsync(ServerKey server, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("a cull run never watches servers");
}
