using Azure;
using Azure.Data.Tables;
using Hub.Azure.Store;
using Hub.Azure.Tables;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Testing;

namespace Hub.Azure.Tests.Store;

[Collection(AzuriteCollection.Name)]
public sealed class TableHubStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private TableHubStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new TableHubStore(azurite.Tables, AzuriteFixture.UniqueTableName("s"));
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        var service = azurite.CreateServiceClient();
        await Task.WhenAll(_store.TableNames.Select(name => service.GetTableClient(name).DeleteAsync()));
    }

    private static UserRecord User(string name) => new() { Name = name, Created = Now };

    public static TheoryData<string> AwkwardNames => new()
    {
        "alice@example.com", "a/b", "a\\b", "a#b", "a?b", "100%", "it's", "~", "名前", "🎓 student", "x'); drop",
        new string('/', 256), string.Concat(Enumerable.Repeat("ü/", 128)),
    };

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task Records_ForAwkwardUserName_RoundTrip(string name)
    {
        var created = await _store.Users.CreateAsync(User(name) with { Groups = ["course-101", "a,b"] });
        await _store.Servers.CreateAsync(new ServerRecord { User = name, Name = "", Desired = ServerDesiredState.Running, Phase = ServerPhase.Queued });
        await _store.Servers.CreateAsync(new ServerRecord { User = name, Name = "gpu" });
        await _store.Routes.UpsertAsync(new RouteRecord { User = name, Target = new Uri("http://127.0.0.1:9999/"), TokenNonce = "n", Updated = Now });

        var user = await _store.Users.GetAsync(name);
        var listed = await _store.Users.ListAsync().ToListAsync();
        var servers = await _store.Servers.ListForUserAsync(name).ToListAsync();
        var route = await _store.Routes.GetAsync(new ServerKey(name, ""));

        Assert.True(created.Succeeded);
        Assert.Equal(name, user!.Name);
        Assert.Equal(["course-101", "a,b"], user.Groups);
        Assert.Equal(name, Assert.Single(listed).Name);
        Assert.Equal(["", "gpu"], servers.Select(s => s.Name).Order());
        Assert.All(servers, s => Assert.Equal(name, s.User));
        Assert.Equal(ServerPhase.Queued, servers.Single(s => s.Name == "").Phase);
        Assert.Equal(name, route!.User);
        Assert.Equal(StoreWriteStatus.Written, await _store.Users.DeleteAsync(name));
        Assert.Null(await _store.Users.GetAsync(name));
    }

    [Fact]
    public async Task Server_RowWrittenBeforeServerHours_ReadsAsZeroUsedAndLosesNothing()
    {
        var created = await _store.Servers.CreateAsync(new ServerRecord { User = "old", Phase = ServerPhase.Stopped, Profile = "small", Message = "kept", Requested = Now });
        var servers = azurite.CreateServiceClient().GetTableClient(_store.TableNames.Single(n => n.EndsWith("servers", StringComparison.Ordinal)));
        TableEntity entity = await servers.GetEntityAsync<TableEntity>(TableKey.Encode("old"), "");
        Assert.True(entity.Remove("UsedSeconds"));
        await servers.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);

        var old = await _store.Servers.GetAsync(new ServerKey("old", ""));
        var counted = await _store.Servers.ReplaceAsync(old! with { UsedSeconds = 3L * int.MaxValue });

        Assert.True(created.Succeeded);
        Assert.Equal(0, old.UsedSeconds);
        Assert.Equal(("small", "kept", Now), (old.Profile, old.Message, old.Requested));
        Assert.Equal(3L * int.MaxValue, (await _store.Servers.GetAsync(new ServerKey("old", "")))!.UsedSeconds);
        Assert.True(counted.Succeeded);
    }

    [Fact]
    public async Task ListForUser_SimilarNames_OnlyThatUsersServers()
    {
        foreach (var name in new[] { "a", "a%", "a%25", "ab" })
        {
            await _store.Servers.CreateAsync(new ServerRecord { User = name });
        }

        var servers = await _store.Servers.ListForUserAsync("a%").ToListAsync();

        Assert.Equal("a%", Assert.Single(servers).User);
    }

    [Fact]
    public async Task ListForUser_NameWithQuote_CannotEscapeItsFilter()
    {
        await _store.Tokens.CreateAsync(new TokenRecord { Hash = new string('d', 64), Id = "t", User = "bob", Created = Now });

        var injected = await _store.Tokens.ListForUserAsync("nobody' or User ne 'x").ToListAsync();

        Assert.Empty(injected);
    }

    [Fact]
    public async Task Initialize_SomeTablesMissing_CreatesThoseAndKeepsTheRest()
    {
        var service = azurite.CreateServiceClient();
        string servers = _store.TableNames.Single(n => n.EndsWith("servers", StringComparison.Ordinal));
        await _store.Users.CreateAsync(User("ada"));
        await service.DeleteTableAsync(servers);

        await _store.InitializeAsync();

        var names = await service.QueryAsync().Select(t => t.Name).ToListAsync();
        Assert.All(_store.TableNames, name => Assert.Contains(name, names));
        Assert.NotNull(await _store.Users.GetAsync("ada"));
    }

    [Fact]
    public async Task Get_TablesMissing_ThrowsTableNotFoundInsteadOfNull()
    {
        var store = new TableHubStore(azurite.Tables, AzuriteFixture.UniqueTableName("none"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.Users.GetAsync("ada"));

        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Requests_WithWrongKey_AreRefusedWithAuthenticationError()
    {
        string wrongKey = $"AccountName={AzuriteFixture.AccountName};AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint={azurite.TableEndpoint}";
        var store = new TableHubStore(TableServiceConnection.FromConnectionString(wrongKey), AzuriteFixture.UniqueTableName("k"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.Users.GetAsync("ada"));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationFailure", error.ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Alice")]
    [InlineData(" bob")]
    [InlineData(".")]
    [InlineData("tab\tname")]
    public async Task Create_InvalidUserName_IsRefusedWithReason(string name)
    {
        var error = await Assert.ThrowsAsync<InvalidUserNameException>(() => _store.Users.CreateAsync(User(name)));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public async Task Create_Twice_IsAlreadyExists()
    {
        await _store.Users.CreateAsync(User("bob"));

        var second = await _store.Users.CreateAsync(User("bob") with { Admin = true });

        Assert.Equal(StoreWriteStatus.AlreadyExists, second.Status);
        Assert.False((await _store.Users.GetAsync("bob"))!.Admin);
    }

    [Fact]
    public async Task Replace_WithStaleVersion_IsChangedAndKeepsNewer()
    {
        var created = (await _store.Users.CreateAsync(User("carol"))).Record!;
        var first = await _store.Users.ReplaceAsync(created with { Admin = true });

        var stale = await _store.Users.ReplaceAsync(created with { Groups = ["late"] });

        Assert.True(first.Succeeded);
        Assert.Equal(StoreWriteStatus.Changed, stale.Status);
        var stored = await _store.Users.GetAsync("carol");
        Assert.True(stored!.Admin);
        Assert.Empty(stored.Groups);
    }

    private static ServerRecord RunningServer(string user) => new()
    {
        User = user,
        Desired = ServerDesiredState.Running,
        Phase = ServerPhase.Running,
        Requested = Now,
        Started = Now,
        PhaseSince = Now,
        LastActivity = Now,
        Target = "http://127.0.0.1:9999/",
        TokenNonce = "nonce",
        SpawnerState = "{\"pid\":1}",
        Profile = "default",
        Message = "Server ready",
        UsedSeconds = 42,
    };

    [Fact]
    public async Task WriteStopRequest_OnAPartialRead_WritesOnlyTheStopFieldsAndKeepsTheRest()
    {
        var created = (await _store.Servers.CreateAsync(RunningServer("hana"))).Record!;
        var partial = Assert.Single(await _store.Servers.ListActiveForCullingAsync().ToListAsync());

        var written = await _store.Servers.WriteStopRequestAsync(partial with { Desired = ServerDesiredState.Stopped, Message = null });

        Assert.Equal(StoreWriteStatus.Written, written.Status);
        var stored = (await _store.Servers.GetAsync(created.Key))!;
        Assert.Equal(created with { Desired = ServerDesiredState.Stopped, Message = null, Version = stored.Version }, stored);
        Assert.Equal(stored.Version, written.Record!.Version);
        Assert.NotEqual(created.Version, stored.Version);
    }

    [Fact]
    public async Task WriteStopRequest_AtAStaleVersion_IsChangedAndKeepsWhatLandedInBetween()
    {
        var created = (await _store.Servers.CreateAsync(RunningServer("ines"))).Record!;
        var partial = Assert.Single(await _store.Servers.ListActiveForCullingAsync().ToListAsync());
        var active = (await _store.Servers.ReplaceAsync(created with { LastActivity = Now.AddMinutes(5) })).Record!;

        var stale = await _store.Servers.WriteStopRequestAsync(partial with { Desired = ServerDesiredState.Stopped });
        var gone = await _store.Servers.WriteStopRequestAsync(RunningServer("nobody") with { Version = active.Version });

        Assert.Equal((StoreWriteStatus.Changed, StoreWriteStatus.NotFound), (stale.Status, gone.Status));
        Assert.Equal(active, await _store.Servers.GetAsync(created.Key));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.Servers.WriteStopRequestAsync(RunningServer("ines")));
    }

    [Fact]
    public async Task Replace_WithoutVersion_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.Users.ReplaceAsync(User("dave")));
    }

    [Fact]
    public async Task Change_ManyConcurrentWriters_LoseNoUpdate()
    {
        await _store.Users.CreateAsync(User("eve"));

        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            _store.Users.ChangeAsync("eve", user => user with { Groups = [.. user.Groups, $"g{i:D2}"] }))));

        var groups = (await _store.Users.GetAsync("eve"))!.Groups;
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"g{i:D2}"), groups.Order());
    }

    [Fact]
    public async Task Change_ReturningNull_WritesNothing()
    {
        var created = (await _store.Users.CreateAsync(User("frank"))).Record!;

        var result = await _store.Users.ChangeAsync("frank", _ => null);

        Assert.Equal(created.Version, result!.Version);
        Assert.Null(await _store.Users.ChangeAsync("nobody", u => u with { Admin = true }));
    }

    [Fact]
    public async Task Delete_WithStaleVersion_IsChanged()
    {
        var created = (await _store.Users.CreateAsync(User("gina"))).Record!;
        await _store.Users.ReplaceAsync(created with { Admin = true });

        Assert.Equal(StoreWriteStatus.Changed, await _store.Users.DeleteAsync("gina", created.Version));
        Assert.NotNull(await _store.Users.GetAsync("gina"));
        Assert.Equal(StoreWriteStatus.NotFound, await _store.Users.DeleteAsync("nobody"));
    }

    [Fact]
    public async Task SessionsAndTokens_StoreHashesAndListByUser()
    {
        string hash1 = new('a', 64), hash2 = new('b', 64), hash3 = new('c', 64);
        await _store.Sessions.CreateAsync(new SessionRecord { IdHash = hash1, User = "hana", Created = Now, Expires = Now.AddDays(14) });
        await _store.Tokens.CreateAsync(new TokenRecord { Hash = hash2, Id = "t1", User = "hana", Scopes = ["read:users", "servers"], Created = Now, Note = "culler" });
        await _store.Tokens.CreateAsync(new TokenRecord { Hash = hash3, Id = "t2", User = "ivan", Created = Now });

        var session = await _store.Sessions.GetAsync(hash1);
        var tokens = await _store.Tokens.ListForUserAsync("hana").ToListAsync();

        Assert.Equal(Now.AddDays(14), session!.Expires);
        var token = Assert.Single(tokens);
        Assert.Equal((hash2, "t1", "culler"), (token.Hash, token.Id, token.Note));
        Assert.Equal(["read:users", "servers"], token.Scopes);
        await Assert.ThrowsAsync<ArgumentException>(() => _store.Tokens.GetAsync("not-a-hash"));
    }

    [Fact]
    public async Task CheckHealth_Reachable_IsHealthy()
    {
        var health = await _store.CheckHealthAsync();

        Assert.True(health.Reachable, health.Description);
    }

    [Fact]
    public async Task CheckHealth_TablesMissing_SaysSo()
    {
        var store = new TableHubStore(azurite.Tables, AzuriteFixture.UniqueTableName("none"));

        var health = await store.CheckHealthAsync();

        Assert.False(health.Reachable);
        Assert.Contains("does not exist", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_NothingListening_ExplainsWhy()
    {
        int port = FreePort.Next();
        var connection = TableServiceConnection.FromConnectionString(azurite.ConnectionStringFor(new Uri($"http://127.0.0.1:{port}/devstoreaccount1")));
        var store = new TableHubStore(connection, "x");

        var health = await store.CheckHealthAsync();

        Assert.False(health.Reachable);
        Assert.Contains($"127.0.0.1:{port}", health.Description, StringComparison.Ordinal);
        Assert.Contains("not reachable", health.Description, StringComparison.Ordinal);
        Assert.Contains("refused", health.Description, StringComparison.OrdinalIgnoreCase);
    }
}
