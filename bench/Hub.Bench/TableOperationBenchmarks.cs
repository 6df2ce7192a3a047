using BenchmarkDotNet.Attributes;
using Azure.Data.Tables;
using BenchmarkDotNet.Configs;
using Hub.Azure.Tables;

namespace Hub.Bench;

/// <summary>
/// Point read, upsert and a 1,000-entity partition query against Azurite, through the Table client the store uses
/// (Azure.Data.Tables with the hub's client options) and through a bare HttpClient (the baseline of each category). Azurite's table endpoint comes from HUB_BENCH_TABLE_ENDPOINT.
/// Each benchmark invocation runs <see cref="Concurrency"/> operations at once, so Mean is time per operation at
/// that concurrency and 1/Mean is operations per second.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MemoryDiagnoser]
[MedianColumn]
[OperationsPerSecond]
public class TableOperationBenchmarks
{
    private const int Concurrency = 8;
    private const int PartitionSize = 1000;
    private TableClient _client = null!;
    private RawTableRequests _raw = null!;
    private int _counter;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        string endpoint = Environment.GetEnvironmentVariable("HUB_BENCH_TABLE_ENDPOINT")
            ?? throw new InvalidOperationException("Set HUB_BENCH_TABLE_ENDPOINT (bench/table-ops.sh does).");
        string table = "bench" + Guid.NewGuid().ToString("N")[..8];
        _client = TableServiceConnection.FromConnectionString(RawTableRequests.ConnectionStringFor(new Uri(endpoint))).CreateClient().GetTableClient(table);
        _raw = new RawTableRequests(new Uri(endpoint), table);
        await _client.CreateIfNotExistsAsync();
        await _client.UpsertEntityAsync(Entity("point", "r"));
        for (int start = 0; start < PartitionSize; start += 100)
        {
            await _client.SubmitTransactionAsync(Enumerable.Range(start, 100)
                .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity("big", i.ToString("D4")))));
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DeleteAsync();
        _raw.Dispose();
    }

    private static TableEntity Entity(string pk, string rk) => new(pk, rk)
    {
        ["Name"] = "student-" + rk,
        ["Admin"] = false,
        ["Created"] = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
        ["Groups"] = "[\"course-101\"]",
    };

    private static Task Parallel(Func<int, Task> operation) => Task.WhenAll(Enumerable.Range(0, Concurrency).Select(operation));

    [Benchmark(Baseline = true, OperationsPerInvoke = Concurrency), BenchmarkCategory("PointRead")]
    public Task PointRead_RawHttp() => Parallel(_ => _raw.GetAsync("point", "r"));

    [Benchmark(OperationsPerInvoke = Concurrency), BenchmarkCategory("PointRead")]
    public Task PointRead_TableClient() => Parallel(_ => _client.GetEntityIfExistsAsync<TableEntity>("point", "r"));

    [Benchmark(Baseline = true, OperationsPerInvoke = Concurrency), BenchmarkCategory("Upsert")]
    public Task Upsert_RawHttp() => Parallel(i =>
    {
        string rk = "u" + (Interlocked.Increment(ref _counter) % 64);
        return _raw.UpsertAsync("upsert", rk, $$"""{"Name":"student-{{rk}}","Admin":false,"Created":"2026-11-22T00:00:00.0000000Z","Created@odata.type":"Edm.DateTime","Groups":"[\"course-101\"]"}""");
    });

    [Benchmark(OperationsPerInvoke = Concurrency), BenchmarkCategory("Upsert")]
    public Task Upsert_TableClient() => Parallel(i =>
        _client.UpsertEntityAsync(Entity("upsert", "u" + (Interlocked.Increment(ref _counter) % 64)), TableUpdateMode.Replace));

    [Benchmark(Baseline = true), BenchmarkCategory("PartitionQuery1000")]
    public Task<int> PartitionQuery_RawHttp() => _raw.QueryPartitionAsync("big");

    [Benchmark, BenchmarkCategory("PartitionQuery1000")]
    public async Task<int> PartitionQuery_TableClient()
    {
        int count = 0;
        await foreach (var _ in _client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"big"}"), maxPerPage: 1000))
        {
            count++;
        }
        return count == PartitionSize ? count : throw new InvalidOperationException($"read {count} entities");
    }
}
