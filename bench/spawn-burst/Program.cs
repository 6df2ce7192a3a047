using System.Globalization;
using SpawnBurst;

// The class-start burst (see bench/README.md): runs the same burst several times and prints each run and the median.
var options = BurstOptions.Parse(args);
string storage = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING")
    ?? throw new InvalidOperationException("Set AZURITE_CONNECTION_STRING (bench/spawn-burst.sh starts a private Azurite).");
Console.WriteLine($"Burst: {options.Users} users pressing start within {options.Window.TotalSeconds:0} s, spawner {options.Spawner}"
    + (options.ContainerInstances
        ? $", provisioning {options.Latency.TotalSeconds:0} s, ARM writes {options.WriteBurst:0} burst + {options.WriteRate:0}/s, {options.FailureRate:P0} failed provisionings, concurrent spawns {options.ConcurrentSpawns}, poll interval {options.PollInterval.TotalSeconds:0.#} s"
        : "") + $", {options.Runs} run(s)");

var results = new List<RunResult>();
for (int run = 0; run < options.Runs; run++)
{
    var result = await new BurstRun(options, storage, run).RunAsync();
    results.Add(result);
    Print($"run {run + 1}", result, options);
}
if (results.Count > 1)
{
    Console.WriteLine("median of runs:");
    Console.WriteLine($"  all running after      {Median(results.Select(r => r.AllRunning.TotalSeconds)),8:0.0} s" + (options.ContainerInstances ? $"   (ideal {Median(results.Select(r => r.IdealAllRunning.TotalSeconds)):0.0} s)" : ""));
    Console.WriteLine($"  time to ready p50/p95  {Median(results.Select(r => RunResult.Percentile(r.TimeToReadySeconds, 50))),8:0.00} / {Median(results.Select(r => RunResult.Percentile(r.TimeToReadySeconds, 95))):0.00} s");
    if (options.ContainerInstances)
    {
        Console.WriteLine($"  overhead p50/p95/max   {Median(results.Select(r => RunResult.Percentile(r.OverheadSeconds, 50))),8:0.00} / {Median(results.Select(r => RunResult.Percentile(r.OverheadSeconds, 95))):0.00} / {Median(results.Select(r => RunResult.Percentile(r.OverheadSeconds, 100))):0.00} s");
        Console.WriteLine($"    of which: accepted late  {Median(results.Select(r => RunResult.Percentile(r.QueueSeconds, 50))),5:0.00} / {Median(results.Select(r => RunResult.Percentile(r.QueueSeconds, 95))):0.00} s; noticed late {Median(results.Select(r => RunResult.Percentile(r.NoticeSeconds, 50))):0.00} / {Median(results.Select(r => RunResult.Percentile(r.NoticeSeconds, 95))):0.00} s (p50 / p95)");
        Console.WriteLine($"  ARM calls per spawn    {Median(results.Select(r => r.ArmCallsPerSpawn)),8:0.00}");
    }
    Console.WriteLine($"  lost (sum)             {results.Sum(r => r.Lost),8}");
    Console.WriteLine($"  duplicates (sum)       {results.Sum(r => r.Duplicates + Math.Max(0, r.Groups - r.DistinctGroups)),8}");
}
return results.All(r => r.Lost == 0 && r.Duplicates == 0 && r.DoubleProblems == 0) ? 0 : 1;

static void Print(string label, RunResult r, BurstOptions options)
{
    var ready = r.TimeToReadySeconds;
    Console.WriteLine($"{label}: ready {r.Ready.Count}/{r.Users}, failed {r.Failed}, refused {r.Refused}, lost {r.Lost}");
    Console.WriteLine($"  all running after      {r.AllRunning.TotalSeconds,8:0.0} s" + (r.Ideal is null ? "" : $"   (ideal {r.IdealAllRunning.TotalSeconds:0.0} s)"));
    Console.WriteLine($"  time to ready p50/p95  {RunResult.Percentile(ready, 50),8:0.00} / {RunResult.Percentile(ready, 95):0.00} s (max {RunResult.Percentile(ready, 100):0.00} s)");
    if (r.Ideal is not null)
    {
        var overhead = r.OverheadSeconds;
        Console.WriteLine($"  overhead p50/p95/max   {RunResult.Percentile(overhead, 50),8:0.00} / {RunResult.Percentile(overhead, 95):0.00} / {RunResult.Percentile(overhead, 100):0.00} s   (target p95 <= 2 s)");
        Console.WriteLine($"    of which: accepted late  {RunResult.Percentile(r.QueueSeconds, 50),5:0.00} / {RunResult.Percentile(r.QueueSeconds, 95):0.00} s; noticed late {RunResult.Percentile(r.NoticeSeconds, 50):0.00} / {RunResult.Percentile(r.NoticeSeconds, 95):0.00} s (p50 / p95)");
        string calls = string.Join(", ", RunResult.Operations.Select(o => $"{o} {r.ArmCalls.GetValueOrDefault(o) / (double)r.Users:0.00}")) + $"; 429s {r.ArmCalls.GetValueOrDefault("throttled")}";
        Console.WriteLine($"  ARM calls per spawn    {r.ArmCallsPerSpawn,8:0.00}   ({calls})");
        Console.WriteLine($"  provisioning attempts  {r.ProvisioningAttempts,8} ({r.FailedAttempts} failed by the double)");
        Console.WriteLine($"  groups at the end      {r.Groups,8} ({r.DistinctGroups} distinct; duplicates {r.Groups - r.DistinctGroups}); requests the double refused: {r.DoubleProblems}");
    }
    else
    {
        Console.WriteLine($"  duplicate processes    {r.Duplicates,8}");
    }
    _ = options;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
