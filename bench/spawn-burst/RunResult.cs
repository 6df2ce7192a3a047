namespace SpawnBurst;

/// <summary>What one burst measured.</summary>
internal sealed record RunResult
{
    public int Users { get; init; }
    public DateTimeOffset Start { get; init; }
    public IReadOnlyDictionary<string, DateTimeOffset> Presses { get; init; } = new Dictionary<string, DateTimeOffset>();
    public IReadOnlyDictionary<string, DateTimeOffset> Ready { get; init; } = new Dictionary<string, DateTimeOffset>();
    public IReadOnlyDictionary<string, DateTimeOffset>? Ideal { get; init; }

    /// <summary>When ARM finished each user's last (successful) provisioning, from the double's log.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? Provisioned { get; init; }
    public IReadOnlyDictionary<string, int> ArmCalls { get; init; } = new Dictionary<string, int>();
    public int Failed { get; init; }
    public int Refused { get; init; }
    public int Groups { get; init; }
    public int DistinctGroups { get; init; }
    public int ProvisioningAttempts { get; init; }
    public int FailedAttempts { get; init; }
    public int DoubleProblems { get; init; }
    public int Duplicates { get; init; }

    /// <summary>ARM requests per started server, and the operations among them.</summary>
    public double ArmCallsPerSpawn => ArmCalls.GetValueOrDefault("requests") / (double)Users;

    public static readonly string[] Operations = ["share-put", "group-put", "group-get", "group-list", "group-delete", "throttled"];

    /// <summary>Users whose start neither became ready nor failed.</summary>
    public int Lost => Users - Ready.Count - Failed;

    public TimeSpan AllRunning => Ready.Count == 0 ? TimeSpan.Zero : Ready.Values.Max() - Start;

    public TimeSpan IdealAllRunning => Ideal is null || Ideal.Count == 0 ? TimeSpan.Zero : Ideal.Values.Max() - Start;

    public IReadOnlyList<double> TimeToReadySeconds => Ready.Select(r => (r.Value - Presses[r.Key]).TotalSeconds).Order().ToList();

    /// <summary>Measured ready time minus the ideal one, per user (seconds).</summary>
    public IReadOnlyList<double> OverheadSeconds => Ideal is null
        ? []
        : Ready.Where(r => Ideal.ContainsKey(r.Key)).Select(r => (r.Value - Ideal[r.Key]).TotalSeconds).Order().ToList();

    /// <summary>Of the overhead: from provisioning finished to the server published as ready (noticing, GET, HTTP probe, writes).</summary>
    public IReadOnlyList<double> NoticeSeconds => Provisioned is null
        ? []
        : Ready.Where(r => Provisioned.ContainsKey(r.Key)).Select(r => (r.Value - Provisioned[r.Key]).TotalSeconds).Order().ToList();

    /// <summary>Of the overhead: how much later than the ideal client ARM accepted the last create.</summary>
    public IReadOnlyList<double> QueueSeconds => Provisioned is null || Ideal is null
        ? []
        : Provisioned.Where(p => Ideal.ContainsKey(p.Key)).Select(p => (p.Value - Ideal[p.Key]).TotalSeconds).Order().ToList();

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
