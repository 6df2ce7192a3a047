namespace SpawnBurst;

/// <summary>Who presses start when: the same users at the same moments for the hub and its baseline (seeded per run).</summary>
internal static class PressSchedule
{
    public static IReadOnlyList<string> Users(BurstOptions options) =>
        Enumerable.Range(0, options.Users).Select(i => $"student{i:0000}").ToList();

    /// <summary>Each user's press, as an offset into the window.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> Offsets(BurstOptions options, int run)
    {
        var random = new Random(options.Seed + run);
        return Users(options).ToDictionary(u => u, _ => TimeSpan.FromMilliseconds(random.NextDouble() * options.Window.TotalMilliseconds));
    }
}
