using System.Globalization;
using UsageRun;

// Usage benches (see bench/README.md): --part start-reads, the Table reads a quota check adds to a start; --part
// report, the period rollover and the usage report at class scale. Exits non-zero when a target is not met.
string part = Option("--part", "start-reads");
string storage = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING")
    ?? throw new InvalidOperationException("Set AZURITE_CONNECTION_STRING (the bench/usage-*.sh scripts start a private Azurite).");
bool met = part switch
{
    "start-reads" => await StartReads.RunAsync(storage, Option("--starts", 20)),
    "report" => await RolloverAndReport.RunAsync(storage, Option("--users", 10_000), Option("--running", 1_000), Option("--runs", 3)),
    _ => throw new ArgumentException($"--part must be start-reads or report, not '{part}'"),
};
return met ? 0 : 1;

T Option<T>(string name, T fallback) where T : IParsable<T>
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
