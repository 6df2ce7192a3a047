using Hub.Azure.Store;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;

namespace Hub.Azure.Tests.Store;

/// <summary>
/// <see cref="NamedServerLimit"/> on the real table store: starts of new named servers racing on one user never
/// leave more named servers than the limit, and each refused one gets JupyterHub's message.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NamedServerLimitTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TableHubStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new TableHubStore(azurite.Tables, AzuriteFixture.UniqueTableName("n"));
        await _store.InitializeAsync();
        await _store.Users.CreateAsync(new UserRecord { Name = "alice", Created = DateTimeOffset.UtcNow });
    }

    public async Task DisposeAsync()
    {
        var service = azurite.CreateServiceClient();
        await Task.WhenAll(_store.TableNames.Select(name => service.GetTableClient(name).DeleteAsync()));
    }

    [Fact]
    public async Task ConcurrentStartsOfNewNames_ReserveExactlyTheLimit()
    {
        var limit = new NamedServerLimit(_store, new SpawnerOptions { NamedServerLimitPerUser = 3 });
        await _store.Servers.CreateAsync(new ServerRecord { User = "alice", Name = "" });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => limit.ReserveAsync(new ServerKey("alice", "s" + i), CancellationToken.None))));

        var named = new List<string>();
        await foreach (var server in _store.Servers.ListForUserAsync("alice"))
        {
            if (server.Name.Length > 0)
            {
                named.Add(server.Name);
            }
        }
        Assert.Equal(3, outcomes.Count(o => o is null));
        Assert.Equal(3, named.Count);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(
            "User alice already has the maximum of 3 named servers.  One must be deleted before a new server can be created", o));
        Assert.Equal(outcomes.Select((o, i) => (o, i)).Where(x => x.o is null).Select(x => "s" + x.i).Order(), named.Order());
    }

    [Fact]
    public async Task AnExistingNamedServer_MayStartAtTheLimit_TheDefaultServerNeverCounts()
    {
        var limit = new NamedServerLimit(_store, new SpawnerOptions { NamedServerLimitPerUser = 1 });

        Assert.Null(await limit.ReserveAsync(new ServerKey("alice", "one"), CancellationToken.None));
        Assert.Null(await limit.ReserveAsync(new ServerKey("alice", "one"), CancellationToken.None));
        Assert.Null(await limit.ReserveAsync(new ServerKey("alice", ""), CancellationToken.None));
        Assert.NotNull(await limit.ReserveAsync(new ServerKey("alice", "two"), CancellationToken.None));
    }

    [Fact]
    public async Task NamedServersOff_RefusesEveryNamedStart()
    {
        var limit = new NamedServerLimit(_store, new SpawnerOptions { AllowNamedServers = false });

        Assert.Equal("Named servers are not enabled.", await limit.ReserveAsync(new ServerKey("alice", "x"), CancellationToken.None));
        Assert.Null(await limit.ReserveAsync(new ServerKey("alice", ""), CancellationToken.None));
    }
}
