using System.Net;
using System.Text.Json;
using Hub.Core.Spawning;
using Hub.Core.Spawning.LocalProcess;
using Hub.Core.Store;
using Hub.Functions.Culling;
using Hub.Functions.Tests.Api;
using Hub.Functions.Timers;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Usage;

/// <summary>Quotas through the real control plane, store and local spawner: refused starts, and a running server stopped at the cap.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class QuotaTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Start_OverQuota_Is403ProblemJson_WithUsedLimitAndReset_NamedServersToo()
    {
        await using var hub = await RealSpawnerHub.StartAsync(azurite, UsageSeed.Term(new() { ["Quota:Limit"] = "1" }));
        string token = await hub.Hub.TokenAsync("bob");
        await UsageSeed.RunAsync(hub.Store, "bob", TimeSpan.FromHours(2));
        var api = hub.Hub.Api(token);

        foreach (var path in new[] { "/hub/api/users/bob/server", "/hub/api/users/bob/servers/extra" })
        {
            var response = await api.PostAsync(path, null);
            string text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = JsonDocument.Parse(text).RootElement;
            Assert.Equal("quota", body.GetProperty("reason").GetString());
            Assert.InRange(body.GetProperty("used").GetDouble(), 1.99, 2.01);
            Assert.Equal(1, body.GetProperty("limit").GetDouble());
            Assert.Equal("server-hours", body.GetProperty("unit").GetString());
            Assert.Equal(UsageSeed.TermEnd, body.GetProperty("resets").GetDateTimeOffset());
            Assert.Contains("You have used 2 of your 1 server-hours", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        await foreach (var _ in hub.Store.Servers.ListForUserAsync("bob"))
        {
            Assert.Fail("A refused start must not create or change a server record.");
        }
    }

    [Fact]
    public async Task SpawnPage_OverQuota_StartsNothing_AndTheUsageTheStudentSeesSaysSo()
    {
        await using var hub = await RealSpawnerHub.StartAsync(azurite, UsageSeed.Term(new() { ["Quota:Users"] = "carla=0.5" }));
        var (browser, _) = await hub.Hub.LoginAsync("carla");
        await UsageSeed.RunAsync(hub.Store, "carla", TimeSpan.FromHours(1));

        var page = await browser.GetAsync("/hub/spawn/carla");

        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.StartsWith("/hub/spawn-pending/carla", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(await hub.Store.Servers.GetAsync(new ServerKey("carla", "")));
        var usage = JsonDocument.Parse(await browser.GetStringAsync("/hub/api/users/carla/usage")).RootElement.GetProperty("quota");
        Assert.True(usage.GetProperty("reached").GetBoolean());
        Assert.Equal(0, usage.GetProperty("remaining").GetDouble());
        Assert.Equal(0.5, usage.GetProperty("limit").GetDouble());
        // The page script that shows this in words reads exactly these fields.
        string script = await browser.GetStringAsync("/hub/static/js/usage.js");
        Assert.Contains("quota.reached", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningServer_AtTheCap_IsWarnedThenStoppedByTheCullRun_FilesKept()
    {
        // 0.999 of 1 server-hour used: about 4 s of running reaches the cap.
        await using var hub = await RealSpawnerHub.StartAsync(azurite, UsageSeed.Term(new() { ["Quota:Users"] = "dora=1", ["Culler:Enabled"] = "false" }));
        string token = await hub.Hub.TokenAsync("dora");
        await UsageSeed.RunAsync(hub.Store, "dora", TimeSpan.FromHours(0.999));
        var api = hub.Hub.Api(token);
        var server = new ServerKey("dora", "");

        var started = await api.PostAsync("/hub/api/users/dora/server", null);
        Assert.True(started.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"start answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        await Eventually.UntilAsync(async () => (await hub.Store.Servers.GetAsync(server))?.Phase == ServerPhase.Running, TimeSpan.FromSeconds(90), "the server to run");
        var spawner = (LocalProcessSpawner)hub.Hub.Plane.Services.GetRequiredService<ISpawner>();
        string notebook = Path.Combine(spawner.HomeOf("dora"), "work.ipynb");
        await File.WriteAllTextAsync(notebook, "{}");

        var standing = JsonDocument.Parse(await api.GetStringAsync("/hub/api/users/dora/usage")).RootElement.GetProperty("quota");
        Assert.True(standing.GetProperty("warning").GetBoolean() || standing.GetProperty("reached").GetBoolean(), standing.ToString());
        await Eventually.UntilAsync(async () => JsonDocument.Parse(await api.GetStringAsync("/hub/api/users/dora/usage")).RootElement.GetProperty("quota").GetProperty("reached").GetBoolean(),
            TimeSpan.FromSeconds(60), "the usage to reach the cap");

        var job = hub.Hub.Plane.Services.GetRequiredService<CullIdleJob>();
        var lines = await job.RunAsync(new TimerInvocation(TimerTriggerSource.Scheduler), CancellationToken.None);

        Assert.Contains(lines, l => l.Contains("usage quota", StringComparison.Ordinal));
        await Eventually.UntilAsync(async () => (await hub.Store.Servers.GetAsync(server))?.Phase == ServerPhase.Stopped, TimeSpan.FromSeconds(60), "the server to stop");
        Assert.True(File.Exists(notebook), "the student's files must stay");
        var runs = new List<UsageRecord>();
        await foreach (var run in hub.Store.Usage.ListForUserAsync("dora", DateTimeOffset.UtcNow.AddDays(-1)))
        {
            runs.Add(run);
        }
        Assert.Equal(2, runs.Count); // the seeded run and the one just stopped, once
        var again = await api.PostAsync("/hub/api/users/dora/server", null);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        // The home's size, as the usage API reports it (a local home has no quota).
        var storage = JsonDocument.Parse(await api.GetStringAsync("/hub/api/users/dora/usage")).RootElement.GetProperty("storage");
        Assert.InRange(storage.GetProperty("used_bytes").GetInt64(), 2, long.MaxValue);
        Assert.Equal(JsonValueKind.Null, storage.GetProperty("quota_bytes").ValueKind);
    }
}
