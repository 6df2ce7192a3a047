using System.Diagnostics;
using System.Text.Json;
using CullRun;
using Hub.Core.Store;
using Hub.Core.Usage;
using Hub.Functions.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace UsageRun;

/// <summary>
/// (b) At class scale (10,000 users in 20 groups, two finished runs each last week, 1,000 servers running across the
/// boundary), one minute after a week and a month both begin: the period rollover as the first cull run after the
/// boundary does it (quota stops and the month's budget sum, <see cref="QuotaEnforcer"/>), and the usage report of the
/// new week and of the week that just ended (<see cref="UsageReport"/>, built and written as JSON and CSV, as the
/// endpoint does). A fresh control plane for each timing, so no cache from the one before helps.
/// </summary>
internal static class RolloverAndReport
{
    /// <summary>A Monday that is also the first of a month, plus a minute: a week and a month have just begun.</summary>
    private static readonly DateTimeOffset Boundary = new(2027, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Quota:Limit"] = "40",
        ["Quota:Period"] = "week",
        ["Budget:Monthly"] = "100000",
        ["Budget:Currency"] = "USD",
        ["Budget:Groups"] = string.Join(',', Enumerable.Range(0, 20).Select(g => $"cs{g}=5000")),
    };

    public static async Task<bool> RunAsync(string storage, int users, int running, int runs)
    {
        string prefix = BenchHub.Prefix("ureport");
        var seedClock = new FixedClock(Boundary.AddMinutes(1));
        await using (var seeder = await BenchHub.BuildAsync(storage, prefix, Settings, seedClock))
        {
            var seeding = Stopwatch.StartNew();
            await SeedAsync(seeder.Store, users, running);
            Console.WriteLine($"Seeded {users} users, {users * 2} finished runs and {running} running servers in {seeding.Elapsed.TotalSeconds:0} s");
        }

        var rollover = new List<(TimeSpan Time, IReadOnlyDictionary<string, long> Ops)>();
        var current = new List<(TimeSpan Time, IReadOnlyDictionary<string, long> Ops)>();
        var previous = new List<(TimeSpan Time, IReadOnlyDictionary<string, long> Ops)>();
        for (int run = 1; run <= runs; run++)
        {
            rollover.Add(await TimeAsync(storage, prefix, async hub =>
            {
                var lines = await hub.Services.GetRequiredService<QuotaEnforcer>().EnforceAsync(CancellationToken.None);
                if (lines.Count > 0)
                {
                    throw new InvalidOperationException("nobody is over the cap a minute into the week, yet: " + string.Join("; ", lines));
                }
            }));
            current.Add(await TimeAsync(storage, prefix, hub => ReportAsync(hub, "week", users)));
            previous.Add(await TimeAsync(storage, prefix, hub => ReportAsync(hub, "2027-W04", users)));
            Console.WriteLine($"run {run}: rollover {Ms(rollover[^1].Time)} ({Ops(rollover[^1].Ops)}); report, new week {Ms(current[^1].Time)} ({Ops(current[^1].Ops)}); "
                + $"report, last week {Ms(previous[^1].Time)} ({Ops(previous[^1].Ops)})");
        }
        var limit = TimeSpan.FromSeconds(10);
        var medians = new[] { ("period rollover (first cull run's usage pass)", Median(rollover)), ("usage report, the new week", Median(current)), ("usage report, the week just ended", Median(previous)) };
        Console.WriteLine($"median of {runs}:");
        foreach (var (what, time) in medians)
        {
            Console.WriteLine($"  {what,-48} {Ms(time),10}   (target < 10,000 ms): {(time < limit ? "met" : "NOT met")}");
        }
        return medians.All(m => m.Item2 < limit);
    }

    private static async Task<(TimeSpan, IReadOnlyDictionary<string, long>)> TimeAsync(string storage, string prefix, Func<BenchHub, Task> work)
    {
        await using var hub = await BenchHub.BuildAsync(storage, prefix, Settings, new FixedClock(Boundary.AddMinutes(1)));
        hub.Counter.Reset();
        var clock = Stopwatch.StartNew();
        await work(hub);
        return (clock.Elapsed, hub.Counter.Snapshot());
    }

    private static async Task ReportAsync(BenchHub hub, string periodName, int users)
    {
        var services = hub.Services;
        var quotas = services.GetRequiredService<QuotaPolicy>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var period = UsagePeriod.Parse(periodName, now, quotas.Options.Term, out string? problem) ?? throw new InvalidOperationException(problem);
        var report = await UsageReport.BuildAsync(hub.Store, services.GetRequiredService<UsageLedger>(), quotas, services.GetRequiredService<BudgetOptions>(), period, now, CancellationToken.None);
        string json = JsonSerializer.Serialize(report.ToJson());
        string csv = report.ToCsv();
        if (report.Users.Count != users || json.Length == 0 || csv.Length == 0)
        {
            throw new InvalidOperationException($"the report of {periodName} lists {report.Users.Count} users, not {users}");
        }
    }

    private static async Task SeedAsync(IHubStore store, int users, int running)
    {
        var lastWeek = Boundary.AddDays(-7);
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
        {
            string name = $"student{i:00000}";
            string[] groups = [$"cs{i % 20}"];
            await store.Users.CreateAsync(new UserRecord { Name = name, Created = lastWeek.AddDays(-30), Groups = groups }, token);
            for (int run = 0; run < 2; run++)
            {
                var started = lastWeek.AddDays(1 + run * 2).AddMinutes(i % 600);
                await store.Usage.UpsertAsync(new UsageRecord { User = name, Server = "", Started = started, Ended = started.AddHours(1.5), Cpu = 1, MemoryInGb = 2, Groups = groups }, token);
            }
            if (i < running)
            {
                var started = Boundary.AddHours(-2);
                await store.Servers.CreateAsync(new ServerRecord
                {
                    User = name, Desired = ServerDesiredState.Running, Phase = ServerPhase.Running, Requested = started, Started = started, PhaseSince = started,
                    LastActivity = Boundary, Target = "http://127.0.0.1:9/", TokenNonce = Guid.NewGuid().ToString("N"),
                }, token);
            }
        });
    }

    private static TimeSpan Median(List<(TimeSpan Time, IReadOnlyDictionary<string, long> Ops)> runs) => runs.Select(r => r.Time).Order().ElementAt(runs.Count / 2);

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:#,0} ms";

    private static string Ops(IReadOnlyDictionary<string, long> ops) =>
        ops.Count == 0 ? "no Table requests" : string.Join(", ", ops.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"));
}
