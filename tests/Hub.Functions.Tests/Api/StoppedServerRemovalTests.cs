using Hub.Azure.Store;
using Hub.Core.Store;
using Hub.Functions.Api;
using Hub.Testing;

namespace Hub.Functions.Tests.Api;

/// <summary>
/// Removing a stopped server (<c>DELETE …/servers/{name}</c> with <c>remove</c>, and deleting a user) deletes the record
/// only at the version it read after the stop, so a start landing in between is kept.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoppedServerRemovalTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task DeleteIfStillStopped_StoppedRecord_IsDeleted()
    {
        var store = await StoreAsync();
        var key = await WriteAsync(store, ServerDesiredState.Stopped, ServerPhase.Stopped);

        Assert.True(await StoppedServerRemoval.DeleteIfStillStoppedAsync(store, key, CancellationToken.None));

        Assert.Null(await store.Servers.GetAsync(key));
    }

    [Fact]
    public async Task DeleteIfStillStopped_StartedAgainAfterTheStop_IsKept()
    {
        var store = await StoreAsync();
        var key = await WriteAsync(store, ServerDesiredState.Stopped, ServerPhase.Stopped);
        // A start that lands after the stop answered and before the delete.
        var stopped = (await store.Servers.GetAsync(key))!;
        await store.Servers.ReplaceAsync(stopped with { Desired = ServerDesiredState.Running, Phase = ServerPhase.Queued });

        Assert.False(await StoppedServerRemoval.DeleteIfStillStoppedAsync(store, key, CancellationToken.None));

        var kept = await store.Servers.GetAsync(key);
        Assert.NotNull(kept);
        Assert.Equal(ServerDesiredState.Running, kept.Desired);
    }

    [Fact]
    public async Task DeleteIfStillStopped_NoRecord_IsDone()
    {
        var store = await StoreAsync();

        Assert.True(await StoppedServerRemoval.DeleteIfStillStoppedAsync(store, new ServerKey("nobody", "x"), CancellationToken.None));
    }

    private async Task<TableHubStore> StoreAsync()
    {
        var store = new TableHubStore(azurite.Tables, AzuriteFixture.UniqueTableName("rm"));
        await store.InitializeAsync();
        return store;
    }

    private static async Task<ServerKey> WriteAsync(TableHubStore store, ServerDesiredState desired, ServerPhase phase)
    {
        var record = new ServerRecord { User = "amy", Name = "lab", Desired = desired, Phase = phase };
        await store.Servers.UpsertAsync(record);
        return record.Key;
    }
}
