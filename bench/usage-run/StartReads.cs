using CullRun;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace UsageRun;

/// <summary>
/// (a) The Table requests of one start request, with and without a quota: the same users, the same recorded usage,
/// two control planes on the same tables (one without quotas, one with). Prints the median requests per start by kind.
/// </summary>
internal static class StartReads
{
    public static async Task<bool> RunAsync(string storage, int starts)
    {
        string prefix = BenchHub.Prefix("ustart");
        var common = new Dictionary<string, string?> { ["Spawner:SlowSpawnTimeout"] = "0s" };
        await using var without = await BenchHub.BuildAsync(storage, prefix, common);
        await using var with = await BenchHub.BuildAsync(storage, prefix, new Dictionary<string, string?>(common) { ["Quota:Limit"] = "100", ["Quota:Period"] = "week" });
        await SeedAsync(without.Store, starts * 2);

        var off = await StartEachAsync(without, Enumerable.Range(0, starts).Select(User));
        var on = await StartEachAsync(with, Enumerable.Range(starts, starts).Select(User));

        Console.WriteLine($"Table requests per start request (median of {starts} starts each; users with 5 recorded runs this week and a stopped named server):");
        var kinds = off.Concat(on).SelectMany(o => o.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        Console.WriteLine($"  {"kind",-10} {"no quota",9} {"quota",9}");
        foreach (string kind in kinds)
        {
            Console.WriteLine($"  {kind,-10} {Median(off, kind),9} {Median(on, kind),9}");
        }
        double readsOff = Median(off, "read") + Median(off, "query"), readsOn = Median(on, "read") + Median(on, "query");
        Console.WriteLine($"  {"reads",-10} {readsOff,9} {readsOn,9}   (read + query pages)");
        double added = readsOn - readsOff;
        Console.WriteLine($"reads a quota check adds to a start: {added} (target: at most 1): {(added <= 1 ? "met" : "NOT met")}");
        return added <= 1;
    }

    private static string User(int i) => $"student{i:000}";

    private static async Task SeedAsync(IHubStore store, int users)
    {
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            string name = User(i);
            await store.Users.CreateAsync(new UserRecord { Name = name, Created = now.AddDays(-30), Groups = ["cs101"] }, token);
            await store.Servers.CreateAsync(new ServerRecord { User = name, Name = "lab", Desired = ServerDesiredState.Stopped, Phase = ServerPhase.Stopped }, token);
            for (int run = 0; run < 5; run++)
            {
                // Runs of the last hours, so that they fall in this week whatever the day.
                var ended = now.AddMinutes(-10 - run * 30);
                await store.Usage.UpsertAsync(new UsageRecord { User = name, Server = "", Started = ended.AddMinutes(-20), Ended = ended, Cpu = 1, MemoryInGb = 2, Groups = ["cs101"] }, token);
            }
        });
    }

    private static async Task<List<IReadOnlyDictionary<string, long>>> StartEachAsync(BenchHub hub, IEnumerable<string> users)
    {
        var lifecycle = hub.Services.GetRequiredService<IServerLifecycle>();
        var counts = new List<IReadOnlyDictionary<string, long>>();
        foreach (string user in users)
        {
            hub.Counter.Reset();
            var result = await lifecycle.RequestStartAsync(new ServerKey(user, ""), StartOptions.Default);
            if (result.Status is StartStatus.Refused or StartStatus.InvalidOptions)
            {
                throw new InvalidOperationException($"the start of {user} was refused: {result.Message}");
            }
            counts.Add(hub.Counter.Snapshot());
        }
        return counts;
    }

    private static double Median(List<IReadOnlyDictionary<string, long>> counts, string kind)
    {
        var sorted = counts.Select(c => (double)c.GetValueOrDefault(kind)).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
