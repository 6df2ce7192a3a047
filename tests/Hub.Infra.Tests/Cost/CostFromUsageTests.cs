using Hub.Cost.Command;

namespace Hub.Infra.Tests.Cost;

/// <summary><c>./hub cost --from-usage FILE</c>: a recorded period's spend from the hub's usage report.</summary>
public sealed class CostFromUsageTests
{
    private const string Report = """
        {"period": "2026-11", "start": "2026-11-01T00:00:00.000000Z", "end": "2026-12-01T00:00:00.000000Z", "quota_unit": "server-hours", "currency": null,
         "users": [
           {"name": "alice", "groups": ["cs101"], "server_hours": 10, "vcpu_hours": 10, "gb_hours": 20, "cost": 0, "quota_used": 10, "quota_limit": null},
           {"name": "bob", "groups": [], "server_hours": 0, "vcpu_hours": 0, "gb_hours": 0, "cost": 0, "quota_used": 0, "quota_limit": null}],
         "groups": [{"name": "cs101", "server_hours": 10, "vcpu_hours": 10, "gb_hours": 20, "cost": 0, "budget": null}]}
        """;

    [Fact]
    public void FromUsage_PricesTheRecordedHours_AndAddsThePeriodsIdleCost()
    {
        string path = WriteTemporary(Report);
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CostCommand.Run(["--from-usage", path], output, error);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);

        Assert.Equal(0, code);
        string text = output.ToString();
        // 10 vCPU-hours at 0.0486 and 20 GB-hours at 0.0054 (prices.json): 0.486 + 0.108.
        Assert.Contains("estimated spend for 2026-11 (2026-11-01 to 2026-12-01, 30 days; USD", text, StringComparison.Ordinal);
        Assert.Contains("servers            0.59  (10 server-hours, 10 vCPU-hours, 20 GB-hours)", text, StringComparison.Ordinal);
        Assert.Contains("cs101", text, StringComparison.Ordinal);
        Assert.Matches(@"idle platform\s+\d+\.\d\d", text);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void FromUsage_NotAReport_IsRefusedSayingWhat()
    {
        string path = WriteTemporary("""{"version": "5.5.1"}""");
        var error = new StringWriter();

        int code = CostCommand.Run(["--from-usage", path], new StringWriter(), error);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);

        Assert.Equal(2, code);
        Assert.Contains("has no 'users' list; save the answer of GET /hub/api/usage?period=", error.ToString(), StringComparison.Ordinal);
    }

    private static string WriteTemporary(string text)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("hub-usage-report-").FullName, "usage.json");
        File.WriteAllText(path, text);
        return path;
    }
}
