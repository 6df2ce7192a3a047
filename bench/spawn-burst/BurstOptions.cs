using System.Globalization;

namespace SpawnBurst;

/// <summary>What one burst looks like. Command line: <c>--name value</c> for any property (kebab case).</summary>
internal sealed record BurstOptions
{
    public string Spawner { get; init; } = "container-instances";
    public int Users { get; init; } = 1000;
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan Latency { get; init; } = TimeSpan.FromSeconds(30);
    public double WriteBurst { get; init; } = 200;
    public double WriteRate { get; init; } = 10;
    public double FailureRate { get; init; } = 0.03;
    public int ConcurrentSpawns { get; init; } = 1000;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public int Runs { get; init; } = 3;
    public int Seed { get; init; } = 1;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(20);

    public bool ContainerInstances => Spawner == "container-instances";

    public static BurstOptions Parse(string[] args)
    {
        var options = new BurstOptions();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            options = args[i] switch
            {
                "--spawner" => options with { Spawner = value },
                "--users" => options with { Users = int.Parse(value, CultureInfo.InvariantCulture) },
                "--window" => options with { Window = Seconds(value) },
                "--latency" => options with { Latency = Seconds(value) },
                "--write-burst" => options with { WriteBurst = double.Parse(value, CultureInfo.InvariantCulture) },
                "--write-rate" => options with { WriteRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--failure-rate" => options with { FailureRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--concurrent-spawns" => options with { ConcurrentSpawns = int.Parse(value, CultureInfo.InvariantCulture) },
                "--poll-interval" => options with { PollInterval = Seconds(value) },
                "--runs" => options with { Runs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--timeout" => options with { Timeout = Seconds(value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }
        return options;
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
