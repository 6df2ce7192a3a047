using Azure;
using Hub.Azure.Tables;
using Hub.Testing;

namespace Hub.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        _table = azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName());
        await _table.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => _table.DeleteAsync();

    [Fact]
    public async Task CreateIfNotExists_TableExists_Succeeds()
    {
        await _table.CreateIfNotExistsAsync();
        Assert.Null(await _table.GetEntityAsync("none", "none"));
    }

    [Fact]
    public async Task GetEntity_AfterInsert_ReturnsEveryTypeAsWritten()
    {
        var when = new DateTimeOffset(2026, 11, 22, 10, 30, 15, 123, TimeSpan.FromHours(1)).AddTicks(4567);
        var id = Guid.NewGuid();
        var entity = new TableEntity("p", "r")
        {
            ["Text"] = "Grüße, ' \" \\ / # ? 🎓",
            ["Small"] = 42,
            ["Big"] = long.MaxValue,
            ["Ratio"] = 2.0,
            ["Fraction"] = 0.1,
            ["NotANumber"] = double.NaN,
            ["Flag"] = true,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 0, 1, 254, 255 },
        };

        var insert = await _table.InsertAsync(entity);
        var read = await _table.GetEntityAsync("p", "r");

        Assert.True(insert.Succeeded);
        Assert.NotNull(read);
        Assert.Equal(insert.ETag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("Grüße, ' \" \\ / # ? 🎓", read.GetString("Text"));
        Assert.Equal(42, read["Small"]);
        Assert.Equal(long.MaxValue, read["Big"]);
        Assert.Equal(2.0, Assert.IsType<double>(read["Ratio"]));
        Assert.Equal(0.1, read["Fraction"]);
        Assert.True(double.IsNaN(Assert.IsType<double>(read["NotANumber"])));
        Assert.Equal(true, read["Flag"]);
        Assert.Equal(when, read["When"]);
        Assert.Equal(TimeSpan.Zero, read.GetDateTimeOffset("When")!.Value.Offset);
        Assert.Equal(id, read["Id"]);
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, read["Bytes"]);
    }

    [Fact]
    public async Task GetEntity_WithSelect_ReturnsOnlySelected()
    {
        await _table.InsertAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        var read = await _table.GetEntityAsync("p", "r", ["A"]);

        Assert.Equal("a", read!.GetString("A"));
        Assert.False(read.ContainsProperty("B"));
    }

    [Fact]
    public async Task Insert_Twice_SecondIsConflict()
    {
        await _table.InsertAsync(new TableEntity("p", "r"));

        var second = await _table.InsertAsync(new TableEntity("p", "r"));

        Assert.Equal(TableWriteStatus.Conflict, second.Status);
    }

    [Fact]
    public async Task Update_WithStaleETag_IsPreconditionFailedAndKeepsNewerValue()
    {
        var first = await _table.InsertAsync(new TableEntity("p", "r") { ["Value"] = 1 });
        var second = await _table.UpdateAsync(new TableEntity("p", "r") { ["Value"] = 2 }, first.ETag);

        var stale = await _table.UpdateAsync(new TableEntity("p", "r") { ["Value"] = 3 }, first.ETag);

        Assert.True(second.Succeeded);
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(TableWriteStatus.PreconditionFailed, stale.Status);
        Assert.Equal(2, (await _table.GetEntityAsync("p", "r"))!["Value"]);
    }

    [Fact]
    public async Task Update_Missing_IsNotFound()
    {
        var result = await _table.UpdateAsync(new TableEntity("p", "missing"), ETag.All);

        Assert.Equal(TableWriteStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Update_MergeKeepsOtherPropertiesAndReplaceRemovesThem()
    {
        await _table.InsertAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        await _table.UpdateAsync(new TableEntity("p", "r") { ["A"] = "a2" }, ETag.All, TableUpdateMode.Merge);
        var merged = await _table.GetEntityAsync("p", "r");
        await _table.UpdateAsync(new TableEntity("p", "r") { ["A"] = "a3" }, ETag.All, TableUpdateMode.Replace);
        var replaced = await _table.GetEntityAsync("p", "r");

        Assert.Equal(("a2", "b"), (merged!.GetString("A"), merged.GetString("B")));
        Assert.Equal("a3", replaced!.GetString("A"));
        Assert.False(replaced.ContainsProperty("B"));
    }

    [Fact]
    public async Task Upsert_CreatesThenMerges()
    {
        await _table.UpsertAsync(new TableEntity("p", "r") { ["A"] = "a" });
        var etag = await _table.UpsertAsync(new TableEntity("p", "r") { ["B"] = "b" }, TableUpdateMode.Merge);

        var read = await _table.GetEntityAsync("p", "r");

        Assert.Equal(etag, read!.ETag);
        Assert.Equal(("a", "b"), (read.GetString("A"), read.GetString("B")));
    }

    [Fact]
    public async Task Delete_WithStaleETagThenCurrent_RefusesThenDeletes()
    {
        var first = await _table.InsertAsync(new TableEntity("p", "r") { ["Value"] = 1 });
        var second = await _table.UpdateAsync(new TableEntity("p", "r") { ["Value"] = 2 }, first.ETag);

        var stale = await _table.DeleteEntityAsync("p", "r", first.ETag);
        var current = await _table.DeleteEntityAsync("p", "r", second.ETag);
        var again = await _table.DeleteEntityAsync("p", "r");

        Assert.Equal(TableWriteStatus.PreconditionFailed, stale.Status);
        Assert.True(current.Succeeded);
        Assert.Equal(TableWriteStatus.NotFound, again.Status);
        Assert.Null(await _table.GetEntityAsync("p", "r"));
    }

    [Theory]
    [InlineData("it's")]
    [InlineData("''")]
    [InlineData("100%")]
    [InlineData("%27")]
    [InlineData("a+b=c&d")]
    [InlineData(" spaces  inside ")]
    [InlineData("(PartitionKey='x')")]
    [InlineData("Ünïcödé 学生 🎓")]
    [InlineData("")]
    public async Task Keys_WithAwkwardCharacters_RoundTrip(string key)
    {
        await _table.InsertAsync(new TableEntity(key, key) { ["Key"] = key });

        var read = await _table.GetEntityAsync(key, key);
        var queried = await _table.QueryAsync(TableFilter.Of($"PartitionKey eq {key}")).ToListAsync();
        var deleted = await _table.DeleteEntityAsync(key, key);

        Assert.Equal((key, key, key), (read!.PartitionKey, read.RowKey, read.GetString("Key")));
        Assert.Equal(key, Assert.Single(queried).RowKey);
        Assert.True(deleted.Succeeded);
    }

    [Fact]
    public async Task Query_FilterWithQuote_CannotEscapeItsLiteral()
    {
        await _table.InsertAsync(new TableEntity("p", "a") { ["Owner"] = "alice" });
        await _table.InsertAsync(new TableEntity("p", "b") { ["Owner"] = "bob" });

        var injected = await _table.QueryAsync(TableFilter.Of($"Owner eq {"nobody' or Owner ne 'x"}")).ToListAsync();

        Assert.Empty(injected);
    }

    [Fact]
    public async Task Query_FilterSelectAndTypedLiterals_ReturnMatchingEntities()
    {
        var cutoff = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 10; i++)
        {
            await _table.InsertAsync(new TableEntity("p", $"r{i}")
            {
                ["Number"] = (long)i,
                ["When"] = cutoff.AddDays(i - 5),
                ["Even"] = i % 2 == 0,
                ["Note"] = "n",
            });
        }

        var found = await _table.QueryAsync(
            TableFilter.Of($"Number ge {3L} and When gt {cutoff} and Even eq {true}"),
            select: ["Number"]).ToListAsync();

        Assert.Equal(new long[] { 6, 8 }, found.Select(e => e.GetInt64("Number")!.Value).Order());
        Assert.All(found, e => Assert.False(e.ContainsProperty("Note")));
    }

    [Fact]
    public async Task Query_MoreThanOnePage_FollowsContinuations()
    {
        const int count = 1234;
        for (int start = 0; start < count; start += 100)
        {
            var actions = Enumerable.Range(start, Math.Min(100, count - start))
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("bulk", i.ToString("D5")) { ["I"] = i }))
                .ToList();
            Assert.True((await _table.SubmitTransactionAsync(actions)).Succeeded);
        }

        var firstPage = await _table.QueryPageAsync(null, null, 1000, null);
        var all = await _table.QueryAsync().ToListAsync();
        var small = await _table.QueryAsync(pageSize: 500).CountAsync();

        Assert.Equal(1000, firstPage.Items.Count);
        Assert.NotNull(firstPage.Continuation);
        Assert.Equal(count, all.Count);
        Assert.Equal(count, all.Select(e => e.RowKey).Distinct().Count());
        Assert.Equal(count, small);
    }

    [Fact]
    public async Task Transaction_AllSucceed_AppliesEveryOperation()
    {
        var existing = await _table.InsertAsync(new TableEntity("p", "update") { ["V"] = 1 });
        await _table.InsertAsync(new TableEntity("p", "delete"));

        var result = await _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["V"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "update") { ["W"] = 2 }, existing.ETag),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsert") { ["V"] = 3 }),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete")),
        ]);

        Assert.True(result.Succeeded);
        Assert.Equal(4, result.ETags.Count);
        var updated = await _table.GetEntityAsync("p", "update");
        Assert.Equal((1, 2), (updated!.GetInt32("V"), updated.GetInt32("W")));
        Assert.Equal(updated.ETag, result.ETags[1]);
        Assert.NotNull(await _table.GetEntityAsync("p", "add"));
        Assert.NotNull(await _table.GetEntityAsync("p", "upsert"));
        Assert.Null(await _table.GetEntityAsync("p", "delete"));
    }

    [Fact]
    public async Task Transaction_OneOperationFails_NothingIsApplied()
    {
        await _table.InsertAsync(new TableEntity("p", "taken") { ["V"] = "original" });

        var result = await _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "new1")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "other") { ["V"] = "x" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "taken") { ["V"] = "overwritten" }),
        ]);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedIndex);
        Assert.Equal(409, result.FailedStatus);
        Assert.Equal("EntityAlreadyExists", result.ErrorCode);
        Assert.Null(await _table.GetEntityAsync("p", "new1"));
        Assert.Null(await _table.GetEntityAsync("p", "other"));
        Assert.Equal("original", (await _table.GetEntityAsync("p", "taken"))!.GetString("V"));
    }

    [Fact]
    public async Task Transaction_StaleETag_IsConcurrencyConflict()
    {
        var first = await _table.InsertAsync(new TableEntity("p", "r") { ["V"] = 1 });
        await _table.UpdateAsync(new TableEntity("p", "r") { ["V"] = 2 }, first.ETag);

        var result = await _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "a")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "r") { ["V"] = 3 }, first.ETag),
        ]);

        Assert.True(result.IsConcurrencyConflict);
        Assert.Equal(1, result.FailedIndex);
        Assert.Null(await _table.GetEntityAsync("p", "a"));
    }

    [Fact]
    public async Task Transaction_InvalidShape_IsRefusedBeforeSending()
    {
        var tooMany = Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i}"))).ToList();
        TableTransactionAction[] twoPartitions = [new(TableTransactionActionType.Add, new TableEntity("a", "r")), new(TableTransactionActionType.Add, new TableEntity("b", "r"))];
        TableTransactionAction[] twice = [new(TableTransactionActionType.Add, new TableEntity("a", "r")), new(TableTransactionActionType.Delete, new TableEntity("a", "r"))];

        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync(tooMany));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync(twoPartitions));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync(twice));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync([]));
    }

    [Fact]
    public async Task ParallelUpdates_WithETagRetry_LoseNoUpdate()
    {
        await _table.InsertAsync(new TableEntity("p", "counter") { ["Count"] = 0 });
        int conflicts = 0;

        async Task IncrementAsync()
        {
            while (true)
            {
                var current = (await _table.GetEntityAsync("p", "counter"))!;
                current["Count"] = current.GetInt32("Count")!.Value + 1;
                var result = await _table.UpdateAsync(current, current.ETag);
                if (result.Succeeded)
                {
                    return;
                }
                Assert.Equal(TableWriteStatus.PreconditionFailed, result.Status);
                Interlocked.Increment(ref conflicts);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
            {
                await IncrementAsync();
            }
        })));

        Assert.Equal(160, (await _table.GetEntityAsync("p", "counter"))!.GetInt32("Count"));
        Assert.True(conflicts > 0, "the test should have produced concurrent writes");
    }

    [Fact]
    public async Task Operation_OnMissingTable_CarriesServiceErrorCode()
    {
        var missing = azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName("missing"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => missing.InsertAsync(new TableEntity("p", "r")));

        Assert.Equal(404, error.Status);
        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Requests_WithWrongKey_AreRefusedWithAuthenticationError()
    {
        var wrongKey = azurite.Connection with { AccountKey = new byte[64] };
        var table = new TableServiceClient(wrongKey).GetTableClient(_table.Name);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "r"));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationFailure", error.ErrorCode);
    }
}
