using System.Net;
using System.Text.Json;
using Hub.Functions.Tests.Api;
using Hub.Functions.Tests.Auth;
using Hub.Testing;

namespace Hub.Functions.Tests.Usage;

/// <summary>Budgets refuse starts and raise a metric; the usage report answers admins in JSON and CSV, and nobody else.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BudgetAndReportTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Start_WhenTheHubBudgetIsReached_Is403WithTheBudget_AndTheMetricSays1()
    {
        await using var hub = await RealSpawnerHub.StartAsync(azurite, new Dictionary<string, string?> { ["Budget:Monthly"] = "1", ["Budget:Currency"] = "USD" });
        string token = await hub.Hub.TokenAsync("emil");
        // 30 vCPU-hours in 10 minutes: 1.46 USD at the default price.
        await UsageSeed.RunAsync(hub.Store, "emil", TimeSpan.FromMinutes(10), cpu: 180, memoryInGb: 0);

        var response = await hub.Hub.Api(token).PostAsync("/hub/api/users/emil/server", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("budget", body.GetProperty("reason").GetString());
        Assert.Equal("USD", body.GetProperty("unit").GetString());
        Assert.Equal(1, body.GetProperty("limit").GetDouble());
        Assert.Contains("The hub has used its budget for this month (1.00 USD)", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        string admin = await hub.Hub.TokenAsync("admin");
        string metrics = await hub.Hub.Api(admin).GetStringAsync("/hub/metrics");
        Assert.Contains("jupyterhub_usage_budget_reached{scope=\"hub\"} 1", metrics, StringComparison.Ordinal);
        Assert.Matches("jupyterhub_usage_budget_refusals_total(\\{[^}]*\\})? 1", metrics);
    }

    [Fact]
    public async Task Start_WhenTheGroupBudgetIsReached_IsRefusedForItsMembersOnly()
    {
        await using var hub = await RealSpawnerHub.StartAsync(azurite, new Dictionary<string, string?> { ["Budget:Groups"] = "cs101=0.5", ["Budget:Currency"] = "EUR", ["Spawner:SlowSpawnTimeout"] = "0s" });
        string member = await hub.Hub.TokenAsync("fynn");
        string other = await hub.Hub.TokenAsync("gina");
        await hub.Store.Users.ChangeAsync("fynn", u => u with { Groups = ["cs101"] });
        await UsageSeed.RunAsync(hub.Store, "fynn", TimeSpan.FromMinutes(10), cpu: 180, memoryInGb: 0, groups: "cs101");

        var refused = await hub.Hub.Api(member).PostAsync("/hub/api/users/fynn/server", null);
        var allowed = await hub.Hub.Api(other).PostAsync("/hub/api/users/gina/server", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Your group cs101 has used its budget", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(allowed.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"gina's start answered {(int)allowed.StatusCode}");
    }

    [Fact]
    public async Task UsageReport_ForAdmins_InJsonAndCsv_PerUserAndGroup()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Quota:Limit"] = "10", ["Quota:Period"] = "month" });
        string admin = await hub.TokenAsync("admin");
        string student = await hub.TokenAsync("hugo");
        await hub.Store.Users.ChangeAsync("hugo", u => u with { Groups = ["cs101"] });
        await UsageSeed.RunAsync(hub.Store, "hugo", TimeSpan.FromMinutes(30), cpu: 2, memoryInGb: 4, groups: "cs101");
        await UsageSeed.RunAsync(hub.Store, "hugo", TimeSpan.FromMinutes(30), cpu: 1, memoryInGb: 2, server: "lab", groups: "cs101");
        string period = DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var api = hub.Api(admin);

        var report = JsonDocument.Parse(await api.GetStringAsync("/hub/api/usage?period=" + period)).RootElement;
        var hugo = report.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("name").GetString() == "hugo");
        var group = report.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "cs101");
        var csv = await api.GetAsync($"/hub/api/usage?period={period}&format=csv");
        string csvText = await csv.Content.ReadAsStringAsync();

        Assert.Equal(period, report.GetProperty("period").GetString());
        Assert.Equal(1, hugo.GetProperty("server_hours").GetDouble(), 3);
        Assert.Equal(1.5, hugo.GetProperty("vcpu_hours").GetDouble(), 3);
        Assert.Equal(3, hugo.GetProperty("gb_hours").GetDouble(), 3);
        Assert.Equal(10, hugo.GetProperty("quota_limit").GetDouble());
        Assert.Equal(1, group.GetProperty("server_hours").GetDouble(), 3);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"usage-{period}.csv", csv.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("kind,name,groups,period,server_hours,vcpu_hours,gb_hours,cost", csvText, StringComparison.Ordinal);
        Assert.Contains($"user,hugo,cs101,{period},1,1.5,3,", csvText, StringComparison.Ordinal);
        Assert.Contains($"group,cs101,,{period},1,1.5,3,", csvText, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await hub.Api(student).GetAsync("/hub/api/usage")).StatusCode);
        var bad = await api.GetAsync("/hub/api/usage?period=fortnight");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("period must be day, week, month, term", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var own = JsonDocument.Parse(await hub.Api(student).GetStringAsync("/hub/api/users/hugo/usage")).RootElement.GetProperty("quota");
        Assert.Equal(1, own.GetProperty("used").GetDouble(), 3);
        Assert.Equal(9, own.GetProperty("remaining").GetDouble(), 3);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Api(student).GetAsync("/hub/api/users/admin/usage")).StatusCode);
    }
}
