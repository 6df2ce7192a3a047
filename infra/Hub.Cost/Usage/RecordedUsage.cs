using System.Globalization;
using System.Text.Json;

namespace Hub.Cost.Usage;

/// <summary>One user's or group's usage in the report.</summary>
public sealed record UsageLine(string Name, decimal ServerHours, decimal VcpuHours, decimal GbHours);

/// <summary>
/// The usage report the hub answers at <c>GET /hub/api/usage?period=…</c> (JSON), as saved by an admin: the period
/// and each user's and group's server-, vCPU- and GB-hours.
/// </summary>
public sealed record RecordedUsage(string Period, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<UsageLine> Users, IReadOnlyList<UsageLine> Groups)
{
    /// <summary>Reads the report; <see cref="FormatException"/> names what is missing or wrong.</summary>
    public static RecordedUsage Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the usage report is not JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("users", out var users) || users.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the usage report has no 'users' list; save the answer of GET /hub/api/usage?period=…");
            }
            return new RecordedUsage(
                Text(root, "period"),
                Time(root, "start"),
                Time(root, "end"),
                users.EnumerateArray().Select(Line).ToList(),
                root.TryGetProperty("groups", out var groups) && groups.ValueKind == JsonValueKind.Array ? groups.EnumerateArray().Select(Line).ToList() : []);
        }
    }

    private static UsageLine Line(JsonElement element) =>
        new(Text(element, "name"), Number(element, "server_hours"), Number(element, "vcpu_hours"), Number(element, "gb_hours"));

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"the usage report lacks '{name}'");

    private static decimal Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.GetDecimal() >= 0 ? value.GetDecimal()
            : throw new FormatException($"the usage report lacks a non-negative number '{name}'");

    private static DateTimeOffset Time(JsonElement element, string name) =>
        DateTimeOffset.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
            : throw new FormatException($"the usage report's '{name}' is not a time");
}
