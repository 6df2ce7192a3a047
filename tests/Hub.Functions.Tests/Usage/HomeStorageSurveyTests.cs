using System.Text.Json;
using Hub.ArmDouble;
using Hub.Core.Spawning;
using Hub.Core.Spawning.LocalProcess;
using Hub.Core.Store;
using Hub.Functions.Tests.Api;
using Hub.Functions.Tests.Spawning;
using Hub.Functions.Tests.Timers;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Usage;

/// <summary>
/// Home sizes are measured by the cull run and stored with their time; the usage report and the user's usage read
/// the stored figures and never measure; a home is not measured again within the refresh interval.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HomeStorageSurveyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task LocalHomes_MeasuredByTheCullRun_TheReportShowsTheStoredFigure()
    {
        await using var hub = await RealSpawnerHub.StartAsync(azurite);
        string admin = await hub.Hub.TokenAsync("admin");
        string student = await hub.Hub.TokenAsync("ida");
        var spawner = (LocalProcessSpawner)hub.Hub.Plane.Services.GetRequiredService<ISpawner>();
        string home = spawner.HomeOf("ida");
        Directory.CreateDirectory(Path.Combine(home, "data"));
        await File.WriteAllBytesAsync(Path.Combine(home, "data", "a.csv"), new byte[3000]);
        await hub.Store.Users.ChangeAsync("ida", u => u with { LastActivity = DateTimeOffset.UtcNow });
        var before = JsonDocument.Parse(await hub.Hub.Api(admin).GetStringAsync("/hub/api/usage")).RootElement;

        (await hub.Hub.Plane.PostTimerAsync("cull-idle")).EnsureSuccessStatusCode();
        // Files added after the measurement are not seen by a view: views read the stored figure.
        await File.WriteAllBytesAsync(Path.Combine(home, "later.bin"), new byte[5000]);
        var report = JsonDocument.Parse(await hub.Hub.Api(admin).GetStringAsync("/hub/api/usage")).RootElement;
        var own = JsonDocument.Parse(await hub.Hub.Api(student).GetStringAsync("/hub/api/users/ida/usage")).RootElement.GetProperty("storage");

        Assert.Equal(JsonValueKind.Null, User(before, "ida").GetProperty("home_bytes").ValueKind);
        var ida = User(report, "ida");
        Assert.Equal(3000, ida.GetProperty("home_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, ida.GetProperty("home_quota_bytes").ValueKind);
        Assert.True(ida.GetProperty("home_complete").GetBoolean());
        Assert.InRange(ida.GetProperty("home_measured").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);
        Assert.Equal(3000, own.GetProperty("used_bytes").GetInt64());
        Assert.False(own.GetProperty("nearly_full").GetBoolean());

        // Within the refresh interval a second cull run measures nothing again.
        var measured = (await hub.Store.Users.GetAsync("ida"))!.HomeMeasured;
        await hub.Store.Users.ChangeAsync("ida", u => u with { LastActivity = DateTimeOffset.UtcNow });
        (await hub.Hub.Plane.PostTimerAsync("cull-idle")).EnsureSuccessStatusCode();
        var after = (await hub.Store.Users.GetAsync("ida"))!;
        Assert.Equal(measured, after.HomeMeasured);
        Assert.Equal(3000, after.Home!.UsedBytes);
    }

    [Fact]
    public async Task AzureFilesHomes_OneShareReadPerHomeAndInterval_NearlyFullFrom90Percent()
    {
        await using var arm = await ArmDouble.ArmDouble.StartAsync();
        var settings = ArmDoubleSettings.For(arm);
        settings["Spawner:SlowSpawnTimeout"] = "0s";
        settings["ContainerInstances:ShareQuotaGiB"] = "1";
        await using var hub = await SpawningHub.StartAsync(azurite, settings);
        await hub.AddUsersAsync("kim", "lou");
        var server = new ServerKey("kim", "");
        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        Assert.True((await hub.WatchToEndAsync(server, TimeSpan.FromSeconds(60)))[^1].Ready);
        arm.SetShareUsage("hub-kim", 1_000_000_000);

        (await hub.ControlPlane.PostTimerAsync("cull-idle")).EnsureSuccessStatusCode();
        (await hub.ControlPlane.PostTimerAsync("cull-idle")).EnsureSuccessStatusCode();

        var kim = (await hub.Store.Users.GetAsync("kim"))!;
        var lou = (await hub.Store.Users.GetAsync("lou"))!;
        Assert.Equal(1_000_000_000, kim.Home!.UsedBytes);
        Assert.Equal(1L << 30, kim.Home.QuotaBytes);
        Assert.True(kim.Home.IsNearlyFull);
        Assert.NotNull(kim.HomeMeasured);
        Assert.Null(lou.HomeMeasured); // never active, nothing running: no share to read
        Assert.Equal(1, arm.Count("share-get"));
        Assert.Empty(arm.Problems);
    }

    private static JsonElement User(JsonElement report, string name) =>
        report.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("name").GetString() == name);
}
