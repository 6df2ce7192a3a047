using System.Net.Http.Headers;
using System.Text;
using Hub.ArmDouble;
using Hub.Azure.Arm;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Tests.Timers;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Spawning;

/// <summary>The control plane spawning on Azure Container Instances, against the ARM double.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AciLifecycleTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan SpawnTimeout = TimeSpan.FromSeconds(60);
    private ArmDouble.ArmDouble _arm = null!;

    public async Task InitializeAsync() => _arm = await ArmDouble.ArmDouble.StartAsync();

    public async Task DisposeAsync()
    {
        var problems = _arm.Problems;
        await _arm.DisposeAsync();
        Assert.Empty(problems);
    }

    private Task<SpawningHub> StartHubAsync(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = ArmDoubleSettings.For(_arm);
        settings["Spawner:SlowSpawnTimeout"] = "0s";
        change?.Invoke(settings);
        return SpawningHub.StartAsync(azurite, settings);
    }

    [Fact]
    public async Task Start_ThenStop_GroupAnswersOnItsLoopbackAddressThenIsDeletedShareKept()
    {
        await using var hub = await StartHubAsync();
        await hub.AddUsersAsync("alice");
        var server = new ServerKey("alice", "");

        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var events = await hub.WatchToEndAsync(server, SpawnTimeout);
        var route = (await hub.Store.Routes.GetAsync(server))!;
        string token = hub.ControlPlane.Services.GetRequiredService<ServerTokenSource>().TokenFor(server, route.TokenNonce);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(route.Target, "/user/alice/lab")) { Headers = { Authorization = new AuthenticationHeaderValue("token", token) } };
        var answer = await client.SendAsync(request);

        var stopped = await hub.Lifecycle.RequestStopAsync(server);

        Assert.True(events[^1].Ready, events[^1].Message);
        Assert.Contains(events, e => e.Message == SpawnProgressReport.CreatingMessage);
        Assert.Equal("hub-alice", answer.Headers.GetValues("X-Served-By").Single());
        Assert.Equal(StopStatus.Stopped, stopped.Status);
        Assert.Empty(_arm.GroupNames);
        Assert.Equal(["hub-alice"], _arm.Shares);
        Assert.Null(await hub.Store.Routes.GetAsync(server));
        Assert.Equal(1, _arm.Count("group-create"));
    }

    [Fact]
    public async Task BeginStop_AnswersOnceRecorded_TheLoopThenDeletesTheGroup()
    {
        await using var hub = await StartHubAsync();
        await hub.AddUsersAsync("dora");
        var server = new ServerKey("dora", "");
        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        Assert.True((await hub.WatchToEndAsync(server, SpawnTimeout))[^1].Ready);

        var begun = await hub.Lifecycle.BeginStopAsync(server);
        var recorded = await hub.RecordAsync(server);
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(server)).Phase == ServerPhase.Stopped, SpawnTimeout, "the loop to stop the server");
        var again = await hub.Lifecycle.BeginStopAsync(server);

        Assert.Equal(StopStatus.Pending, begun.Status);
        Assert.Equal(ServerDesiredState.Stopped, recorded.Desired);
        Assert.Empty(_arm.GroupNames);
        Assert.Null(await hub.Store.Routes.GetAsync(server));
        Assert.Equal(StopStatus.Stopped, again.Status);
    }

    [Fact]
    public async Task Start_ProvisioningFails_FailedGroupIsDeletedAndTheStartRetried()
    {
        await using var hub = await StartHubAsync();
        await hub.AddUsersAsync("bob");
        var server = new ServerKey("bob", "");
        _arm.FailNextProvisioning("hub-bob");

        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var events = await hub.WatchToEndAsync(server, SpawnTimeout);

        Assert.True(events[^1].Ready, events[^1].Message);
        Assert.Contains(events, e => e.Message.Contains("Azure could not start your server. Trying again (attempt 2 of 3)", StringComparison.Ordinal));
        Assert.Equal([true, false], _arm.Attempts.Where(a => a.Name == "hub-bob").Select(a => a.Failed));
        Assert.Equal(1, _arm.Count("group-delete"));
        Assert.Equal(1, _arm.Count("share-create"));
        Assert.Equal(2, (await hub.RecordAsync(server)).Attempts);
    }

    [Fact]
    public async Task Start_EveryAttemptFails_FailsWithTheReasonAndLeavesNoGroup()
    {
        _arm.Configure(_arm.Options with { ProvisioningFailureRate = 1 });
        await using var hub = await StartHubAsync(s => s["Limits:StartAttempts"] = "2");
        await hub.AddUsersAsync("carol");
        var server = new ServerKey("carol", "");

        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        var events = await hub.WatchToEndAsync(server, SpawnTimeout);
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(server)).Phase == ServerPhase.Failed, TimeSpan.FromSeconds(20), "the failed group to be removed");

        Assert.True(events[^1].Failed);
        Assert.Equal("Spawn failed: Azure could not start your server.", events[^1].Message);
        Assert.Empty(_arm.GroupNames);
        Assert.Equal("failed", (await hub.RecordAsync(server)).Failure);
    }

    [Fact]
    public async Task Start_ArmThrottlesWrites_EveryServerStartsAndNoneIsLost()
    {
        _arm.Configure(_arm.Options with { Writes = new BucketLimits(3, 2) });
        await using var hub = await StartHubAsync();
        var users = Enumerable.Range(1, 6).Select(i => $"s{i}").ToArray();
        await hub.AddUsersAsync(users);

        var results = await Task.WhenAll(users.Select(u => hub.Lifecycle.RequestStartAsync(new ServerKey(u, ""), StartOptions.Default)));
        var outcomes = await Task.WhenAll(users.Select(u => hub.WatchToEndAsync(new ServerKey(u, ""), SpawnTimeout)));

        Assert.All(results, r => Assert.Equal(StartStatus.Pending, r.Status));
        Assert.All(outcomes, events => Assert.True(events[^1].Ready, events[^1].Message));
        Assert.Equal(users.Length, _arm.GroupNames.Count);
        Assert.Equal(users.Length, _arm.Count("group-create"));
        Assert.True(_arm.Count("throttled") > 0, "the double never had to throttle: the test proves nothing");
        Assert.Contains(outcomes.SelectMany(e => e), e => e.Message.StartsWith("Waiting for Azure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_QuotaReached_WaitsVisiblyUntilAnotherServerStops()
    {
        _arm.Configure(_arm.Options with { ContainerGroupQuota = 1 });
        await using var hub = await StartHubAsync(s => s["ContainerInstances:QuotaRetryInterval"] = "1s");
        await hub.AddUsersAsync("dave", "erin");
        var first = new ServerKey("dave", "");
        var second = new ServerKey("erin", "");
        await hub.Lifecycle.RequestStartAsync(first, StartOptions.Default);
        await hub.WatchToEndAsync(first, SpawnTimeout);

        await hub.Lifecycle.RequestStartAsync(second, StartOptions.Default);
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(second)).Message?.Contains("Azure quota", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(20), "the second start to wait for quota");
        var waiting = await hub.RecordAsync(second);
        await hub.Lifecycle.RequestStopAsync(first);
        var events = await hub.WatchToEndAsync(second, SpawnTimeout);

        Assert.Equal(ServerPhase.Creating, waiting.Phase);
        Assert.True(events[^1].Ready, events[^1].Message);
        Assert.True(_arm.Count("quota") > 0);
    }

    [Fact]
    public async Task Reconcile_OrphanedGroup_IsRemovedAndOtherHubsGroupsAreLeftAlone()
    {
        await using var hub = await StartHubAsync();
        // Groups created outside any record: one marked as this hub's, one of another hub.
        var options = new ContainerInstancesOptions
        {
            ManagementEndpoint = _arm.Endpoint, SubscriptionId = ArmDouble.ArmDouble.SubscriptionId, ResourceGroup = ArmDouble.ArmDouble.ResourceGroup,
            Location = ArmDouble.ArmDouble.Location, Image = "i", StorageAccount = ArmDouble.ArmDouble.StorageAccount, StorageAccountKey = ArmDoubleSettings.StorageKey,
        };
        var ours = new ContainerInstanceSpawner(new ArmClient(_arm.Endpoint, new LoopbackCredential()), options, new ArmRateLimiter(TimeProvider.System), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ContainerInstanceSpawner>.Instance);
        var theirs = new ContainerInstanceSpawner(new ArmClient(_arm.Endpoint, new LoopbackCredential()), new ContainerInstancesOptions
        {
            ManagementEndpoint = _arm.Endpoint, SubscriptionId = options.SubscriptionId, ResourceGroup = options.ResourceGroup, Location = options.Location,
            Image = "i", StorageAccount = options.StorageAccount, StorageAccountKey = options.StorageAccountKey, NamePrefix = "other",
        }, new ArmRateLimiter(TimeProvider.System), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ContainerInstanceSpawner>.Instance);
        await ours.StartAsync(new SpawnerStart(new ServerKey("ghost", ""), null, "t", SpawnProfile.BuiltIn, 1), CancellationToken.None);
        await theirs.StartAsync(new SpawnerStart(new ServerKey("neighbour", ""), null, "t", SpawnProfile.BuiltIn, 1), CancellationToken.None);

        var response = await hub.ControlPlane.PostTimerAsync("reconcile");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["other-neighbour"], _arm.GroupNames);
    }

    [Fact]
    public async Task Reconcile_RunningServerWhoseGroupVanished_IsCleanedUpWithAMessage()
    {
        await using var hub = await StartHubAsync();
        await hub.AddUsersAsync("fay");
        var server = new ServerKey("fay", "");
        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        await hub.WatchToEndAsync(server, SpawnTimeout);
        using var arm = new HttpClient { BaseAddress = _arm.Endpoint };
        arm.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test");
        (await arm.DeleteAsync(ArmDouble.ArmDouble.GroupResourcePath("hub-fay") + "?api-version=2025-09-01")).EnsureSuccessStatusCode();

        await hub.ControlPlane.PostTimerAsync("reconcile");
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(server)).Phase == ServerPhase.Stopped, TimeSpan.FromSeconds(20), "the dead server to be cleaned up");

        var record = await hub.RecordAsync(server);
        Assert.Equal(ServerDesiredState.Stopped, record.Desired);
        Assert.Contains("stopped unexpectedly", record.Message, StringComparison.Ordinal);
        Assert.Null(await hub.Store.Routes.GetAsync(server));
    }
}
