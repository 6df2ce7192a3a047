using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;

namespace Hub.Functions.Tests.Spawning;

/// <summary>Concurrent-spawn and active-server limits: a visible queue, or 429 with Retry-After; never a lost request.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LimitsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ArmDouble.ArmDouble _arm = null!;

    public async Task InitializeAsync() =>
        // Slow provisioning, so that the queue can be seen.
        _arm = await ArmDouble.ArmDouble.StartAsync(new ArmDouble.ArmDoubleOptions { ProvisioningLatency = TimeSpan.FromSeconds(2) });

    public async Task DisposeAsync() => await _arm.DisposeAsync();

    [Fact]
    public async Task Start_OverTheConcurrentSpawnLimit_WaitsInTheQueueWithItsPosition()
    {
        var settings = ArmDouble.ArmDoubleSettings.For(_arm);
        settings["Limits:ConcurrentSpawns"] = "1";
        settings["Spawner:SlowSpawnTimeout"] = "0s";
        await using var hub = await SpawningHub.StartAsync(azurite, settings);
        await hub.AddUsersAsync("q1", "q2", "q3");
        var servers = new[] { "q1", "q2", "q3" }.Select(u => new ServerKey(u, "")).ToArray();

        foreach (var server in servers)
        {
            await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        }
        var outcomes = await Task.WhenAll(servers.Select(s => hub.WatchToEndAsync(s, TimeSpan.FromSeconds(60))));

        Assert.All(outcomes, events => Assert.True(events[^1].Ready, events[^1].Message));
        // The third moves up the queue as the others leave it (3 only if it looked before the first left).
        var positions = outcomes[2].Where(e => e.QueuePosition is not null).Select(e => e.QueuePosition!.Value).ToList();
        Assert.Equal(positions.OrderDescending(), positions);
        Assert.Contains(2, positions);
        Assert.Contains(1, positions);
        Assert.Contains(outcomes[2], e => e.Message == "Waiting for a free slot: you are number 2 of 2 in the queue");
        var started = await Task.WhenAll(servers.Select(hub.RecordAsync));
        Assert.True(started[0].Admitted < started[1].Admitted && started[1].Admitted < started[2].Admitted, "the queue is first come, first served");
        Assert.True(started[1].Admitted >= started[0].Started, "the second left the queue only when the first was ready");
    }

    [Fact]
    public async Task Start_AtTheActiveServerLimit_Is429WithRetryAfter()
    {
        var settings = ArmDouble.ArmDoubleSettings.For(_arm);
        settings["Limits:ActiveServers"] = "1";
        settings["Limits:RetryAfter"] = "45s";
        settings["Spawner:SlowSpawnTimeout"] = "0s";
        await using var hub = await SpawningHub.StartAsync(azurite, settings);
        await hub.AddUsersAsync("a1", "a2");
        await hub.Lifecycle.RequestStartAsync(new ServerKey("a1", ""), StartOptions.Default);

        StartResult refused = null!;
        await Eventually.UntilAsync(async () =>
        {
            refused = await hub.Lifecycle.RequestStartAsync(new ServerKey("a2", ""), StartOptions.Default);
            return refused.Status == StartStatus.Throttled;
        }, TimeSpan.FromSeconds(5), "the limit to be seen");

        Assert.Equal(TimeSpan.FromSeconds(45), refused.RetryAfter);
        Assert.Contains("as many servers as it may (1)", refused.Message, StringComparison.Ordinal);
        Assert.Null(await hub.Store.Servers.GetAsync(new ServerKey("a2", "")));
    }
}
