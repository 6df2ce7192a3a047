using Hub.Azure.Store;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Testing;

namespace Hub.Azure.Tests.Store;

/// <summary>Shares and share codes in Azure Tables: keys for any names, the recipient and owner lists, conditional writes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ShareStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private TableHubStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new TableHubStore(azurite.Tables, AzuriteFixture.UniqueTableName("sh"));
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        var service = azurite.CreateServiceClient();
        await Task.WhenAll(_store.TableNames.Select(name => service.GetTableClient(name).DeleteAsync()));
    }

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }

    [Theory]
    [InlineData("alice", "", "ta")]
    [InlineData("a/b", "lab", "ta@example.org")]
    [InlineData("100%", "x~y", "名前")]
    public async Task Share_RoundTripsAndIsListedForRecipientAndOwner(string owner, string server, string recipient)
    {
        var key = new ServerKey(owner, server);
        var share = await ShareGrants.GrantAsync(_store, key, ShareRecipient.User(recipient), ShareScopes.Default(key), Now, CancellationToken.None);
        var other = await ShareGrants.GrantAsync(_store, new ServerKey(owner, server + "2"), ShareRecipient.Group("Class 101/A"), ShareScopes.Default(new ServerKey(owner, server + "2")), Now, CancellationToken.None);

        var read = await _store.Shares.GetAsync(share.Key);
        Assert.Equal(share.Scopes, read!.Scopes);
        Assert.Equal(Now, read.Created);
        Assert.Equal(share.Key, read.Key);
        Assert.Equal([share.Key], (await ListAsync(_store.Shares.ListForRecipientsAsync([ShareRecipient.User(recipient)]))).Select(s => s.Key));
        Assert.Equal([other.Key], (await ListAsync(_store.Shares.ListForRecipientsAsync([ShareRecipient.Group("Class 101/A")]))).Select(s => s.Key));
        Assert.Equal(2, (await ListAsync(_store.Shares.ListForOwnerAsync(owner))).Count);
        Assert.Equal([share.Key], (await ListAsync(_store.Shares.ListForOwnerAsync(owner, server))).Select(s => s.Key));
    }

    [Fact]
    public async Task ManyGroups_AreReadInBatches()
    {
        var key = new ServerKey("alice", "");
        var groups = Enumerable.Range(0, 30).Select(i => "g" + i).ToList();
        await ShareGrants.GrantAsync(_store, key, ShareRecipient.Group("g29"), ShareScopes.Default(key), Now, CancellationToken.None);
        await ShareGrants.GrantAsync(_store, key, ShareRecipient.Group("g3"), ShareScopes.Default(key), Now, CancellationToken.None);

        var user = new UserRecord { Name = "ta", Created = Now, Groups = groups };
        var found = await ListAsync(_store.Shares.ListForRecipientsAsync(SharedAccess.RecipientsOf(user)));

        Assert.Equal(["g29", "g3"], found.Select(s => s.Recipient.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["access:servers!server=alice/"], await SharedAccess.ScopesOfAsync(_store, user, CancellationToken.None));
    }

    [Fact]
    public async Task GrantAndRevoke_AreConditional_ConcurrentGrantsLoseNothing()
    {
        var key = new ServerKey("alice", "");
        string[] scopes = ["access:servers", "read:servers", "servers", "delete:servers", "start:servers", "read:shares"];
        await Task.WhenAll(scopes.Select(scope =>
        {
            Assert.True(ShareScopes.TryApply([scope], key, out var filtered, out _));
            return ShareGrants.GrantAsync(_store, key, ShareRecipient.User("ta"), filtered, Now, CancellationToken.None);
        }));

        var share = await _store.Shares.GetAsync(new ShareKey(key, ShareRecipient.User("ta")));
        Assert.Equal(scopes.Length, share!.Scopes.Count);
        var stale = share with { Scopes = ["x"] };
        var left = await ShareGrants.RevokeAsync(_store, share.Key, ["servers!server=alice/"], CancellationToken.None);
        Assert.Equal(scopes.Length - 1, left!.Scopes.Count);
        Assert.Equal(StoreWriteStatus.Changed, (await _store.Shares.ReplaceAsync(stale)).Status);
        Assert.Null(await ShareGrants.RevokeAsync(_store, share.Key, null, CancellationToken.None));
        Assert.Null(await _store.Shares.GetAsync(share.Key));
    }

    [Fact]
    public async Task Code_StoredByHash_ExpiresAndCountsExchanges()
    {
        var key = new ServerKey("alice", "lab");
        var (record, code) = await ShareGrants.IssueCodeAsync(_store, key, ShareScopes.Default(key), TimeSpan.FromHours(1), Now, CancellationToken.None);

        Assert.Equal(SecretHash.Of(code), record.Hash);
        Assert.StartsWith("sc_", record.Id, StringComparison.Ordinal);
        var found = await ShareGrants.FindCodeAsync(_store, code, Now.AddMinutes(59), CancellationToken.None);
        Assert.Equal(record.Id, found!.Id);
        await ShareGrants.ExchangeAsync(_store, found, "ta", Now.AddMinutes(1), CancellationToken.None);
        await ShareGrants.ExchangeAsync(_store, found, "ta2", Now.AddMinutes(2), CancellationToken.None);
        var counted = await _store.ShareCodes.GetAsync(record.Hash);
        Assert.Equal(2, counted!.ExchangeCount);
        Assert.Equal(Now.AddMinutes(2), counted.LastExchanged);
        Assert.Equal(2, (await ListAsync(_store.Shares.ListForOwnerAsync("alice", "lab"))).Count);
        Assert.Equal([record.Id], (await ListAsync(_store.ShareCodes.ListForOwnerAsync("alice"))).Select(c => c.Id));

        Assert.Null(await ShareGrants.FindCodeAsync(_store, code, Now.AddHours(1), CancellationToken.None));
        Assert.Null(await _store.ShareCodes.GetAsync(record.Hash));
        Assert.Null(await ShareGrants.FindCodeAsync(_store, new string('x', 300), Now, CancellationToken.None));
    }

    [Fact]
    public async Task Remove_TakesAServersOrAUsersShares()
    {
        var lab = new ServerKey("alice", "lab");
        var home = new ServerKey("alice", "");
        await ShareGrants.GrantAsync(_store, lab, ShareRecipient.User("ta"), ShareScopes.Default(lab), Now, CancellationToken.None);
        await ShareGrants.GrantAsync(_store, home, ShareRecipient.User("ta"), ShareScopes.Default(home), Now, CancellationToken.None);
        await ShareGrants.GrantAsync(_store, new ServerKey("ta", ""), ShareRecipient.User("alice"), ShareScopes.Default(new ServerKey("ta", "")), Now, CancellationToken.None);
        await ShareGrants.IssueCodeAsync(_store, lab, ShareScopes.Default(lab), TimeSpan.FromHours(1), Now, CancellationToken.None);

        await SharedAccess.RemoveAsync(_store, "alice", "lab", CancellationToken.None);
        Assert.Equal([home], (await ListAsync(_store.Shares.ListForOwnerAsync("alice"))).Select(s => s.Server));
        Assert.Empty(await ListAsync(_store.ShareCodes.ListForOwnerAsync("alice")));

        await SharedAccess.RemoveAsync(_store, "alice", null, CancellationToken.None);
        Assert.Empty(await ListAsync(_store.Shares.ListForOwnerAsync("alice")));
        Assert.Empty(await ListAsync(_store.Shares.ListForRecipientsAsync([ShareRecipient.User("alice")])));
    }
}
