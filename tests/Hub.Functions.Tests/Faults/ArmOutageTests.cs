using Hub.ArmDouble;
using Hub.Azure.Arm;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Tests.Spawning;
using Hub.Testing;

namespace Hub.Functions.Tests.Faults;

/// <summary>
/// A start while ARM answers 500, 503 (with Retry-After) or hangs on container groups (PUT and GET), or on the resource
/// group's list of them only (the polls while a group is created): the spawn waits with a message in its progress,
/// completes once ARM recovers, and creates the group exactly once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ArmOutageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);
    private ArmDouble.ArmDouble _arm = null!;

    public async Task InitializeAsync() => _arm = await ArmDouble.ArmDouble.StartAsync();

    public async Task DisposeAsync()
    {
        var problems = _arm.Problems;
        await _arm.DisposeAsync();
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData(ArmFault.InternalError, false)]
    [InlineData(ArmFault.ServiceUnavailable, false)]
    [InlineData(ArmFault.Hang, false)]
    [InlineData(ArmFault.InternalError, true)]
    [InlineData(ArmFault.Hang, true)]
    public async Task Start_ArmFailing_WaitsWithAMessageThenRunsWithOneGroup(ArmFault fault, bool listOnly)
    {
        _arm.Configure(listOnly ? _arm.Options with { ListFault = fault } : _arm.Options with { GroupFault = fault });
        var settings = ArmDoubleSettings.For(_arm);
        settings["Spawner:SlowSpawnTimeout"] = "0s";
        // A short limit per ARM call (the setting the control plane reads), so that a hung ARM is given up within the
        // test's time; the pipeline's own retries of a 500 or 503 fit in it and end with that answer.
        settings["ContainerInstances:CallTimeout"] = "10s";
        await using var hub = await SpawningHub.StartAsync(azurite, settings);
        string user = "out" + fault.ToString().ToLowerInvariant()[..4] + (listOnly ? "l" : "");
        await hub.AddUsersAsync(user);
        var server = new ServerKey(user, "");

        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(server)).Message == ContainerInstanceSpawner.UnavailableMessage,
            Bounded, "the start to wait with a message");
        int faulted = _arm.Count("faulted");
        using var watching = new CancellationTokenSource(Bounded);
        var waitingEvent = await FirstEventAsync(hub, server, watching.Token);
        _arm.Configure(_arm.Options with { GroupFault = ArmFault.None, ListFault = ArmFault.None });
        var events = await hub.WatchToEndAsync(server, Bounded);

        Assert.True(faulted > 0);
        Assert.Equal(ContainerInstanceSpawner.UnavailableMessage, waitingEvent.Message);
        Assert.True(events[^1].Ready, events[^1].Message);
        Assert.Equal(1, _arm.Count("group-create"));
        Assert.Equal([$"hub-{user}"], _arm.GroupNames);
        Assert.Equal(ServerPhase.Running, (await hub.RecordAsync(server)).Phase);
    }

    private static async Task<SpawnProgress> FirstEventAsync(SpawningHub hub, ServerKey server, CancellationToken cancellationToken)
    {
        await foreach (var progress in hub.Lifecycle.WatchAsync(server, cancellationToken))
        {
            return progress;
        }
        throw new InvalidOperationException("the progress stream ended without an event");
    }
}
