using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Tests.Spawning;
using Hub.Testing;

namespace Hub.Functions.Tests.Usage;

/// <summary>Two control planes on one Azurite (one store, one data folder) count a run once, whichever ends it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class UsageAcrossControlPlanesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Stop_FromTwoControlPlanesAtOnce_RecordsTheRunOnce()
    {
        string prefix = AzuriteFixture.UniqueTableName("us");
        string data = Directory.CreateTempSubdirectory("hub-usage-").FullName;
        await using var first = await SpawningHub.StartAsync(azurite, tablePrefix: prefix, dataDirectory: data);
        await using var second = await SpawningHub.StartAsync(azurite, tablePrefix: prefix, dataDirectory: data);
        await first.AddUsersAsync("ines");
        var server = new ServerKey("ines", "lab");

        await first.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        await Eventually.UntilAsync(async () => (await second.Store.Servers.GetAsync(server))?.Phase == ServerPhase.Running, TimeSpan.FromSeconds(90), "the server to run");
        var started = (await first.RecordAsync(server)).Started!.Value;

        await Task.WhenAll(first.Lifecycle.RequestStopAsync(server), second.Lifecycle.RequestStopAsync(server));
        await Eventually.UntilAsync(async () => (await first.RecordAsync(server)).Phase == ServerPhase.Stopped, TimeSpan.FromSeconds(60), "the server to stop");
        // Both planes step it again after the stop: nothing more may be counted.
        await Task.WhenAll(first.Lifecycle.RequestStopAsync(server), second.Lifecycle.RequestStopAsync(server));

        var runs = new List<UsageRecord>();
        await foreach (var run in second.Store.Usage.ListForUserAsync("ines", started.AddMinutes(-1)))
        {
            runs.Add(run);
        }
        var only = Assert.Single(runs);
        Assert.Equal("lab", only.Server);
        Assert.Equal(started, only.Started);
        var record = await first.RecordAsync(server);
        Assert.InRange((only.Ended - only.Started).TotalSeconds, record.UsedSeconds - 5, record.UsedSeconds + 5);
    }
}
