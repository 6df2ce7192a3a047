using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using CullRun;
using Hub.Azure.Tables;
using Hub.Core.Culling;
using Hub.Core.Store;
using Hub.Functions;
using Hub.Functions.Culling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// One cull run over many servers (see bench/README.md): seeds a fresh set of tables in a private Azurite, then in the
// same process times the bare query of the same rows (the baseline) and one run of the app's own CullIdleJob, and
// counts every Table request of each by kind. Several runs; prints each and the medians.
int servers = Option("--servers", 10_000);
double idleShare = Option("--idle", 0.05);
int runs = Option("--runs", 3);
// The app's default unless given.
int concurrency = Option("--concurrency", new CullerOptions().Concurrency);
// What counts as activity (Culler__ActivitySource): what the culler asks the idle-looking servers.
string activity = Option("--activity", "user");
string storage = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING")
    ?? throw new InvalidOperationException("Set AZURITE_CONNECTION_STRING (bench/cull-run.sh starts a private Azurite).");
int idleEvery = (int)Math.Round(1 / idleShare);
Console.WriteLine($"Cull run: {servers} running servers, every {idleEvery}th idle ({servers / idleEvery} idle), Culler__Concurrency {concurrency}, Culler__ActivitySource {activity}, {runs} run(s)");

var results = new List<RunResult>();
for (int run = 1; run <= runs; run++)
{
    var result = await RunOnceAsync(run);
    results.Add(result);
    Print($"run {run}", result);
}
if (runs > 1)
{
    Console.WriteLine("median of runs:");
    Console.WriteLine($"  baseline query (all fields)   {Median(results.Select(r => r.BaselineAll.TotalMilliseconds)),8:0} ms");
    Console.WriteLine($"  baseline query (cull fields)  {Median(results.Select(r => r.BaselineSelected.TotalMilliseconds)),8:0} ms");
    Console.WriteLine($"  baseline stop operations      {Median(results.Select(r => r.BaselineStops.TotalMilliseconds)),8:0} ms");
    Console.WriteLine($"  cull run                      {Median(results.Select(r => r.Cull.TotalMilliseconds)),8:0} ms   (target < 5,000 ms)");
    Console.WriteLine($"  cull run / (query + stop operations) {Median(results.Select(r => r.Cull / (r.BaselineSelected + r.BaselineStops))),4:0.00}x");
    Console.WriteLine($"  cull reading / bare query (cull fields) {Median(results.Select(r => r.Summary.Phases.Read / r.BaselineSelected)),4:0.00}x");
}
bool ok = results.All(r => r.StayersWritten == 0 && r.NotStopped == 0);
Console.WriteLine(ok ? "check: every idle server stopped, no other server written: yes" : "check FAILED: see the runs above");
return ok ? 0 : 1;

async Task<RunResult> RunOnceAsync(int run)
{
    var now = DateTimeOffset.UtcNow;
    await using var stub = await StatusStub.StartAsync(now - TimeSpan.FromHours(2));
    var counter = new CountingPolicy();
    string data = Directory.CreateTempSubdirectory("cull-run-").FullName;
    string prefix = "cull" + run.ToString(CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];
    // The app is built, not started: no hosted service (reconcile loop, timers) touches the tables while we count.
    // The culler's stop request returns once the stop is recorded; stopping the server itself is the reconcile loop's
    // work afterwards, as after any stop request.
    await using var app = ControlPlaneApp.Build([], builder =>
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ControlPlane:ListenUrl"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = storage,
            ["Storage:TablePrefix"] = prefix,
            ["Hub:DataDirectory"] = data,
            ["Culler:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Culler:ActivitySource"] = activity,
            ["Timers:RunStandalone"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton(TableServiceConnection.FromConnectionString(storage, options => options.AddPolicy(counter, HttpPipelinePosition.PerRetry)));
    });
    var store = app.Services.GetRequiredService<IHubStore>();
    await store.InitializeAsync();

    var seeded = new System.Collections.Concurrent.ConcurrentDictionary<ServerKey, string>();
    var random = new Random(run);
    var activeAgo = Enumerable.Range(0, servers).Select(_ => TimeSpan.FromSeconds(random.Next(0, 50 * 60))).ToArray();
    await Parallel.ForEachAsync(Enumerable.Range(0, servers), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
    {
        bool idle = i % idleEvery == 0;
        var record = new ServerRecord
        {
            User = $"student{i:00000}",
            Desired = ServerDesiredState.Running,
            Phase = ServerPhase.Running,
            Requested = now - TimeSpan.FromHours(3),
            Started = now - TimeSpan.FromHours(3),
            PhaseSince = now - TimeSpan.FromHours(3),
            LastActivity = now - (idle ? TimeSpan.FromHours(2) : activeAgo[i]),
            Target = stub.Address.AbsoluteUri,
            TokenNonce = Guid.NewGuid().ToString("N"),
            SpawnerState = """{"pid":12345,"port":40000,"home":"/srv/homes/student"}""",
            Profile = "default",
        };
        var created = await store.Servers.CreateAsync(record, token);
        seeded[record.Key] = created.Record!.Version!;
    });

    counter.Reset();
    var clock = Stopwatch.StartNew();
    int all = await CountAsync(store.Servers.ListActiveAsync());
    var baselineAll = clock.Elapsed;
    var baselineAllOps = counter.Snapshot();

    counter.Reset();
    clock.Restart();
    var read = new List<ServerRecord>();
    await foreach (var record in store.Servers.ListActiveForCullingAsync())
    {
        read.Add(record);
    }
    int selected = read.Count;
    var baselineSelected = clock.Elapsed;
    var baselineSelectedOps = counter.Snapshot();

    // The second baseline: the same Table operations a cull does for each idle server (the stop request's one
    // conditional write of the stop fields, at the ETag the query read), bare, at the same concurrency, without
    // asking or deciding. It writes the fields as they are, so the servers stay running for the cull run.
    var idleRead = read.Where(r => int.Parse(r.User["student".Length..], CultureInfo.InvariantCulture) % idleEvery == 0).ToList();
    counter.Reset();
    clock.Restart();
    var refused = new System.Collections.Concurrent.ConcurrentBag<StoreWriteStatus>();
    await Parallel.ForEachAsync(idleRead, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (record, token) =>
    {
        // Refused only when a try was retried after it had landed (its ETag then no longer matches): counted, not fatal.
        var written = await store.Servers.WriteStopRequestAsync(record, token);
        if (!written.Succeeded)
        {
            refused.Add(written.Status);
        }
    });
    if (!refused.IsEmpty)
    {
        Console.WriteLine($"  (baseline: {refused.Count} conditional writes refused: {string.Join(", ", refused.Distinct())})");
    }
    var baselineStops = clock.Elapsed;
    var baselineStopsOps = counter.Snapshot();

    counter.Reset();
    long probesBefore = stub.Requests;
    var job = app.Services.GetRequiredService<CullIdleJob>();
    clock.Restart();
    var summary = await job.CullAsync(CancellationToken.None);
    var cull = clock.Elapsed;
    var cullOps = counter.Snapshot();
    long probes = stub.Requests - probesBefore;

    int stayersWritten = 0, notStopped = 0;
    await foreach (var record in store.Servers.ListAsync())
    {
        bool idle = int.Parse(record.User["student".Length..], CultureInfo.InvariantCulture) % idleEvery == 0;
        if (!idle && record.Version != seeded[record.Key])
        {
            stayersWritten++;
        }
        if (idle && record.Desired != ServerDesiredState.Stopped)
        {
            notStopped++;
        }
    }
    try
    {
        Directory.Delete(data, recursive: true);
    }
    catch (IOException)
    {
    }
    if (all != servers || selected != servers)
    {
        throw new InvalidOperationException($"expected {servers} rows, the queries read {all} and {selected}");
    }
    return new RunResult(baselineAll, baselineAllOps, baselineSelected, baselineSelectedOps, baselineStops, baselineStopsOps, cull, cullOps, probes, summary.Culled,
        (servers + idleEvery - 1) / idleEvery, stayersWritten, notStopped, summary);
}

static async Task<int> CountAsync(IAsyncEnumerable<ServerRecord> records)
{
    int n = 0;
    await foreach (var _ in records)
    {
        n++;
    }
    return n;
}

static void Print(string label, RunResult r)
{
    Console.WriteLine($"{label}:");
    Console.WriteLine($"  baseline query (all fields)   {r.BaselineAll.TotalMilliseconds,8:0} ms   Table ops: {Ops(r.BaselineAllOps)}");
    Console.WriteLine($"  baseline query (cull fields)  {r.BaselineSelected.TotalMilliseconds,8:0} ms   Table ops: {Ops(r.BaselineSelectedOps)}");
    Console.WriteLine($"  baseline stop operations      {r.BaselineStops.TotalMilliseconds,8:0} ms   Table ops: {Ops(r.BaselineStopsOps)}");
    Console.WriteLine($"  cull run                      {r.Cull.TotalMilliseconds,8:0} ms   Table ops: {Ops(r.CullOps)}; server requests: {r.Probes}");
    Console.WriteLine($"    culled {r.Culled} of {r.ExpectedIdle} idle; stayers written: {r.StayersWritten}; idle left running: {r.NotStopped}; "
        + $"summary: active {r.Summary.Active}, asked {r.Summary.Probed}, kept {r.Summary.KeptActive + r.Summary.KeptBusy}, stop failures {r.Summary.StopFailures}");
    var p = r.Summary.Phases;
    Console.WriteLine($"    phases: reading {p.Read.TotalMilliseconds:0} ms, asking {p.Ask.TotalMilliseconds:0} ms, stopping {p.Stop.TotalMilliseconds:0} ms");
}

static string Ops(IReadOnlyDictionary<string, long> ops) =>
    ops.Count == 0 ? "none" : string.Join(", ", ops.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

T Option<T>(string name, T fallback) where T : IParsable<T>
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record RunResult(
    TimeSpan BaselineAll, IReadOnlyDictionary<string, long> BaselineAllOps,
    TimeSpan BaselineSelected, IReadOnlyDictionary<string, long> BaselineSelectedOps,
    TimeSpan BaselineStops, IReadOnlyDictionary<string, long> BaselineStopsOps,
    TimeSpan Cull, IReadOnlyDictionary<string, long> CullOps, long Probes,
    int Culled, int ExpectedIdle, int StayersWritten, int NotStopped, CullRunSummary Summary);
