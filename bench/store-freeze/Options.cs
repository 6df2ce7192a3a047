using System.Globalization;

namespace StoreFreeze;

/// <summary>The command line: <c>--name value</c> pairs; durations in seconds.</summary>
internal sealed record Options(Uri Gateway, string User, string Token, int StorePid)
{
    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Freeze { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(5);
    public int Clients { get; init; } = 2;
    public TimeSpan ApiInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }
        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{name} is required");
        TimeSpan Seconds(string name, TimeSpan fallback) =>
            values.TryGetValue(name, out var value) ? TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) : fallback;

        var gateway = new Uri(Required("--gateway"));
        if (!gateway.IsLoopback)
        {
            throw new ArgumentException("--gateway must be a loopback URL: the benchmark runs against a local hub only");
        }
        var options = new Options(gateway, Required("--user"), Required("--token"), int.Parse(Required("--store-pid"), CultureInfo.InvariantCulture));
        return options with
        {
            Baseline = Seconds("--baseline", options.Baseline),
            Freeze = Seconds("--freeze", options.Freeze),
            Deadline = Seconds("--deadline", options.Deadline),
            Clients = values.TryGetValue("--clients", out var clients) ? int.Parse(clients, CultureInfo.InvariantCulture) : options.Clients,
            ApiInterval = Seconds("--api-interval", options.ApiInterval),
        };
    }
}
