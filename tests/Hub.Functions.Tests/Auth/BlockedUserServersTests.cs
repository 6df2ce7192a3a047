using Hub.Azure.Store;
using Hub.Core.Store;
using Hub.Testing;

namespace Hub.Functions.Tests.Auth;

/// <summary>
/// A blocked user's running server is stopped when the control plane starts, so that the gateway, which forwards by
/// routes alone, keeps no way in for them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlockedUserServersTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Start_WithBlockedUsers_StopsTheirServersAndNobodyElses()
    {
        string tables = AzuriteFixture.UniqueTableName("b");
        var store = new TableHubStore(azurite.Tables, tables);
        await store.InitializeAsync();
        foreach (var (user, server) in new[] { ("mallory", ""), ("mallory", "gpu"), ("alice", "") })
        {
            await store.Users.UpsertAsync(new UserRecord { Name = user, Created = DateTimeOffset.UtcNow });
            await store.Servers.UpsertAsync(new ServerRecord
            {
                User = user,
                Name = server,
                Desired = ServerDesiredState.Running,
                Phase = ServerPhase.Running,
                Started = DateTimeOffset.UtcNow,
            });
        }

        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = tables,
            ["Auth:BlockedUsers"] = " Mallory ",
        });

        // The asks go through the lifecycle (the reconcile loop, which also runs here, never asks it).
        var expected = new[] { new ServerKey("mallory", ""), new ServerKey("mallory", "gpu") };
        await Eventually.UntilAsync(() => Task.FromResult(StopsOf(hub).Count >= 2), TimeSpan.FromSeconds(30), "the blocked user's servers to be asked to stop");
        Assert.Equal(expected, StopsOf(hub).OrderBy(k => k.Server));
    }

    private static List<ServerKey> StopsOf(TestHub hub)
    {
        lock (hub.Lifecycle.Stops)
        {
            return [.. hub.Lifecycle.Stops];
        }
    }
}
