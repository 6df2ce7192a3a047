using System.Globalization;
using System.Text.Json;

namespace Hub.Cost.Prices;

/// <summary>The prices the cost model uses, read from <c>prices.json</c>; every entry must state its unit, date and source.</summary>
public sealed class PriceList
{
    /// <summary>Every key the model reads; a price file must hold all of them.</summary>
    public static readonly IReadOnlyList<string> RequiredKeys =
    [
        "containerInstances.vcpuSecond", "containerInstances.memoryGbSecond",
        "flex.onDemandGbSecond", "flex.alwaysReadyBaselineGbSecond", "flex.executionsPerMillion",
        "flex.freeGbSecondsPerMonth", "flex.freeExecutionsPerMonth",
        "containerApps.activeVcpuSecond", "containerApps.idleVcpuSecond", "containerApps.memoryGibSecond",
        "containerApps.freeVcpuSecondsPerMonth", "containerApps.freeGibSecondsPerMonth",
        "natGateway.hour", "natGateway.dataGb", "publicIp.staticHour", "registry.basicDay", "keyVault.operationsPer10k",
        "logAnalytics.ingestionGb", "tables.gbMonth", "tables.transactionsPer10k", "blobs.gbMonth",
        "files.gbMonth", "files.transactionsPer10k", "kubernetesHub.idleDay", "kubernetesHub.studentHour",
    ];

    private readonly IReadOnlyDictionary<string, Price> _prices;

    public PriceList(IReadOnlyDictionary<string, Price> prices, string currency = "USD")
    {
        var problems = Problems(prices);
        if (problems.Count > 0)
        {
            throw new PriceListException(problems);
        }
        _prices = prices;
        Currency = currency;
    }

    public string Currency { get; }

    public Price this[string key] => _prices[key];

    /// <summary>The amount of <paramref name="key"/>.</summary>
    public decimal Of(string key) => _prices[key].Amount;

    /// <summary>The prices file beside the program (copied to its output folder).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "prices.json");

    /// <exception cref="PriceListException">The file is missing, not JSON, or a price lacks an amount, unit, date or source.</exception>
    public static PriceList Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PriceListException([$"{path}: no such prices file"]);
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var prices = new Dictionary<string, Price>(StringComparer.Ordinal);
            foreach (var entry in root.GetProperty("prices").EnumerateObject())
            {
                var value = entry.Value;
                prices[entry.Name] = new Price(
                    value.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Number ? amount.GetDecimal() : -1,
                    Text(value, "unit"),
                    Text(value, "asOf"),
                    Text(value, "source"));
            }
            return new PriceList(prices, root.TryGetProperty("currency", out var currency) ? currency.GetString() ?? "USD" : "USD");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PriceListException([$"{path}: not a prices file ({ex.Message})"]);
        }
    }

    private static string Text(JsonElement value, string name) =>
        value.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() ?? "" : "";

    private static List<string> Problems(IReadOnlyDictionary<string, Price> prices)
    {
        var problems = new List<string>();
        foreach (string key in RequiredKeys.Where(k => !prices.ContainsKey(k)))
        {
            problems.Add($"{key} is missing");
        }
        foreach (var (key, price) in prices)
        {
            if (price.Amount < 0)
            {
                problems.Add($"{key}: amount must be a number of at least 0");
            }
            if (string.IsNullOrWhiteSpace(price.Unit))
            {
                problems.Add($"{key}: unit is missing");
            }
            if (!DateOnly.TryParseExact(price.AsOf, ["yyyy-MM-dd", "yyyy-MM"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                problems.Add($"{key}: asOf must be a date (yyyy-MM-dd or yyyy-MM), not '{price.AsOf}'");
            }
            if (string.IsNullOrWhiteSpace(price.Source))
            {
                problems.Add($"{key}: source is missing; say where the price comes from");
            }
        }
        return problems;
    }
}
