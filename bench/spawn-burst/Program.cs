using System.Globalization;
using SpawnBurst;

// The class-start burst (see bench/README.md): runs the same burst several times and prints each run and the median.
var options = BurstOptions.Parse(args);
string storage = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING")
    ?? throw new InvalidOperationException("Set AZURITE_CONNECTION_STRING (bench/spawn-burst.sh starts a private Azurite).");
Console.WriteLine($"Burst: {options.Users} users pressing start within {options.Window.TotalSeconds:0} s, spawner {options.Spawner}"
    + (options.ContainerInstances
        ? $", provisioning {options.Latency.TotalSeconds:0} s, ARM writes {options.WriteBurst:0} burst + {options.WriteRate:0}/s, {options.FailureRate:P0} failed provisionings, concurrent spawns {options.ConcurrentSpawns}, poll interval {options.PollInterval.TotalSeconds:0.#} s"
        : "") + $", {options.Runs} run(s); load average at the start: {File.ReadAllText("/proc/loadavg").Trim()}");

var results = new List<RunResult>();
var baselines = new List<RunResult>();
for (int run = 0; run < options.Runs; run++)
{
    // The local burst's baseline (Jupyter started directly) runs in the same run, first in odd runs and last in even
    // ones, so that a machine growing busier or quieter does not favour either.
    if (!options.ContainerInstances && run % 2 == 0)
    {
        baselines.Add(await new DirectBurst(options, run).RunAsync());
    }
    var result = await new BurstRun(options, storage, run).RunAsync();
    if (!options.ContainerInstances && run % 2 == 1)
    {
        baselines.Add(await new DirectBurst(options, run).RunAsync());
    }
    results.Add(result);
    Print($"run {run + 1}", result, options);
    if (!options.ContainerInstances)
    {
        PrintAgainstBaseline(result, baselines[^1]);
    }
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
    if (!options.ContainerInstances)
    {
        Console.WriteLine($"  direct Jupyter (baseline): all running after {Median(baselines.Select(r => r.AllRunning.TotalSeconds)):0.0} s, time to ready p50/p95 {Median(baselines.Select(r => RunResult.Percentile(r.TimeToReadySeconds, 50))):0.00} / {Median(baselines.Select(r => RunResult.Percentile(r.TimeToReadySeconds, 95))):0.00} s, not ready {baselines.Sum(r => r.Lost)}");
        Console.WriteLine($"  hub / direct           p50 {Median(results.Zip(baselines, (h, d) => Ratio(h, d, 50))):0.00}, p95 {Median(results.Zip(baselines, (h, d) => Ratio(h, d, 95))):0.00}, all running {Median(results.Zip(baselines, (h, d) => h.AllRunning / d.AllRunning)):0.00}");
        Console.WriteLine($"  hub - direct           p50 {Median(results.Zip(baselines, (h, d) => Difference(h, d, 50))):0.00} s, p95 {Median(results.Zip(baselines, (h, d) => Difference(h, d, 95))):0.00} s");
    }
    Console.WriteLine($"  lost (sum)             {results.Sum(r => r.Lost),8}");
    Console.WriteLine($"  duplicates (sum)       {results.Sum(r => r.Duplicates + Math.Max(0, r.Groups - r.DistinctGroups)),8}");
}
Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
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

static double Ratio(RunResult hub, RunResult direct, double p) =>
    RunResult.Percentile(hub.TimeToReadySeconds, p) / RunResult.Percentile(direct.TimeToReadySeconds, p);

static double Difference(RunResult hub, RunResult direct, double p) =>
    RunResult.Percentile(hub.TimeToReadySeconds, p) - RunResult.Percentile(direct.TimeToReadySeconds, p);

static void PrintAgainstBaseline(RunResult hub, RunResult direct)
{
    Console.WriteLine($"  direct Jupyter (baseline): ready {direct.Ready.Count}/{direct.Users}, all running after {direct.AllRunning.TotalSeconds:0.0} s, time to ready p50/p95 {RunResult.Percentile(direct.TimeToReadySeconds, 50):0.00} / {RunResult.Percentile(direct.TimeToReadySeconds, 95):0.00} s (max {RunResult.Percentile(direct.TimeToReadySeconds, 100):0.00} s)");
    Console.WriteLine($"  hub / direct           p50 {Ratio(hub, direct, 50):0.00}, p95 {Ratio(hub, direct, 95):0.00}, all running {hub.AllRunning / direct.AllRunning:0.00}; hub - direct p50 {Difference(hub, direct, 50):0.00} s, p95 {Difference(hub, direct, 95):0.00} s");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
