using System.Diagnostics;
using Hub.ArmDouble;
using Hub.Azure.Arm;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions;
using Hub.Testing.Spawning;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SpawnBurst;

/// <summary>
/// One burst: a real control plane (in this process, on Azurite) and either the ARM double or local Jupyter; every
/// user presses start at a random moment of the window through <see cref="IServerLifecycle"/>; the run ends when
/// every server is running (or failed, or the timeout passed).
/// </summary>
internal sealed class BurstRun(BurstOptions options, string storageConnectionString, int run)
{
    public async Task<RunResult> RunAsync()
    {
        await using var arm = options.ContainerInstances
            ? await ArmDouble.StartAsync(new ArmDoubleOptions
            {
                ProvisioningLatency = options.Latency,
                Writes = new BucketLimits(options.WriteBurst, options.WriteRate),
                // ARM's documented per-principal budgets for the rest.
                Reads = new BucketLimits(250, 25),
                Deletes = new BucketLimits(200, 10),
                ProvisioningFailureRate = options.FailureRate,
                CreateRetryAfter = TimeSpan.FromSeconds(5),
                Seed = options.Seed + run,
            })
            : null;
        string data = Directory.CreateTempSubdirectory("hub-burst-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:ListenUrl"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = storageConnectionString,
            ["Storage:TablePrefix"] = "burst" + Guid.NewGuid().ToString("N")[..10],
            ["Hub:DataDirectory"] = data,
            ["Spawner:SlowSpawnTimeout"] = "0s",
            ["Limits:ConcurrentSpawns"] = options.ConcurrentSpawns.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Limits:StartTimeout"] = "00:30:00",
            ["Limits:HttpTimeout"] = "00:10:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (arm is not null)
        {
            foreach (var (key, value) in ArmDoubleSettings.For(arm))
            {
                settings[key] = value;
            }
            settings["ContainerInstances:PollInterval"] = options.PollInterval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s";
        }

        var app = ControlPlaneApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<IHubStore>();
            var lifecycle = app.Services.GetRequiredService<IServerLifecycle>();
            await store.InitializeAsync();
            var users = PressSchedule.Users(options);
            await Parallel.ForEachAsync(users, async (user, token) => await store.Users.CreateAsync(new UserRecord { Name = user, Created = DateTimeOffset.UtcNow }, token));

            var offsets = PressSchedule.Offsets(options, run);
            var presses = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset>();
            var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, StartStatus>();
            var clock = Stopwatch.StartNew();
            var start = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
            var pressing = users.Select(async user =>
            {
                var due = start + offsets[user] - DateTimeOffset.UtcNow;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
                presses[user] = DateTimeOffset.UtcNow;
                statuses[user] = (await lifecycle.RequestStartAsync(new ServerKey(user, ""), StartOptions.Default)).Status;
            }).ToList();

            var deadline = DateTimeOffset.UtcNow + options.Window + options.Timeout;
            Dictionary<string, ServerRecord> records = [];
            while (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                records = [];
                await foreach (var record in store.Servers.ListAsync())
                {
                    records[record.User] = record;
                }
                int running = records.Values.Count(r => r.Phase == ServerPhase.Running);
                int failed = records.Values.Count(r => r.Failure is not null);
                Console.Error.Write($"\r  run {run + 1}: {clock.Elapsed.TotalSeconds,5:0}s  pressed {presses.Count,5}  running {running,5}  failed {failed,3}   ");
                if (presses.Count == users.Count && running + failed == users.Count)
                {
                    break;
                }
            }
            Console.Error.WriteLine();
            await Task.WhenAll(pressing);

            var result = new RunResult
            {
                Users = users.Count,
                Start = start,
                Presses = new Dictionary<string, DateTimeOffset>(presses),
                Ready = records.Values.Where(r => r.Phase == ServerPhase.Running && r.Started is not null).ToDictionary(r => r.User, r => r.Started!.Value),
                Failed = records.Values.Count(r => r.Failure is not null),
                Refused = statuses.Values.Count(s => s is StartStatus.Throttled or StartStatus.Failed or StartStatus.InvalidOptions),
            };
            if (arm is not null)
            {
                var aci = app.Services.GetRequiredService<ContainerInstancesOptions>();
                var groupOf = users.ToDictionary(u => ContainerGroupDefinition.GroupName(aci, new ServerKey(u, "")), u => u);
                var attempts = IdealSchedule.AttemptsOf(arm.Attempts).ToDictionary(a => groupOf[a.Key], a => a.Value);
                result = result with
                {
                    Provisioned = arm.Attempts.GroupBy(a => a.Name).ToDictionary(g => groupOf[g.Key], g => g.MaxBy(a => a.Attempt)!.Accepted + g.MaxBy(a => a.Attempt)!.Latency),
                    Ideal = IdealSchedule.Compute(result.Presses, attempts, options.Latency, options.WriteBurst, options.WriteRate, start - TimeSpan.FromSeconds(1)),
                    ArmCalls = arm.Counters,
                    Groups = arm.GroupNames.Count,
                    DistinctGroups = arm.GroupNames.Distinct().Count(),
                    ProvisioningAttempts = arm.Attempts.Count,
                    FailedAttempts = arm.Attempts.Count(a => a.Failed),
                    DoubleProblems = arm.Problems.Count,
                };
            }
            else
            {
                result = result with { Duplicates = users.Sum(u => Math.Max(0, LocalServers.CountJupyterProcesses(data, $"/user/{u}/") - 1)) };
                await StopAllAsync(store, lifecycle);
            }
            return result;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await LocalServers.StopAllAsync(data);
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task StopAllAsync(IHubStore store, IServerLifecycle lifecycle)
    {
        var keys = new List<ServerKey>();
        await foreach (var record in store.Servers.ListActiveAsync())
        {
            keys.Add(record.Key);
        }
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, token) => await lifecycle.RequestStopAsync(key, token));
    }
}
