using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hub.ArmDouble;
using Hub.Azure.Arm;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;

namespace Hub.Azure.Tests.Spawning;

/// <summary>The ACI spawner against the ARM double (which checks every body against the published specs).</summary>
public sealed class ContainerInstanceSpawnerTests : IAsyncLifetime
{
    private ArmDouble.ArmDouble _arm = null!;

    public async Task InitializeAsync() => _arm = await ArmDouble.ArmDouble.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_arm.Problems);
        await _arm.DisposeAsync();
    }

    [Fact]
    public async Task Start_NewUser_CreatesShareAndGroupThatAnswersWithTheToken()
    {
        var options = AciTestKit.Options(_arm);
        var spawner = AciTestKit.Spawner(_arm, options);
        var start = AciTestKit.Start("alice", token: "secret-token-1");

        var created = await spawner.StartAsync(start, CancellationToken.None);
        var running = await AciTestKit.PollUntilSettledAsync(spawner, start with { State = created.State }, TimeSpan.FromSeconds(20));

        Assert.Equal(SpawnerStatus.Creating, created.Status);
        Assert.True(created.RetryAfter >= options.PollInterval);
        Assert.Equal(SpawnerStatus.Running, running.Status);
        Assert.Equal(["hub-alice"], _arm.Shares);
        Assert.Equal(["hub-alice"], _arm.GroupNames);
        using var client = new HttpClient();
        var status = new Uri(running.Target!, "/user/alice/api/status");
        using var withToken = new HttpRequestMessage(HttpMethod.Get, status) { Headers = { Authorization = new AuthenticationHeaderValue("token", "secret-token-1") } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(status)).StatusCode);
        Assert.StartsWith("http://127.", running.Target!.AbsoluteUri, StringComparison.Ordinal);
        Assert.NotEqual("127.0.0.1", running.Target.Host);
    }

    [Fact]
    public async Task Start_Body_CarriesTokenAsSecureValueShareAsHomeAndOwnershipTags()
    {
        var options = AciTestKit.Options(_arm);
        var spawner = AciTestKit.Spawner(_arm, options);
        var profile = new SpawnProfile("large", "Large", Image: "course/image:2", Cpu: 2, MemoryInGb: 8, Environment: new Dictionary<string, string> { ["COURSE"] = "ml" });

        await spawner.StartAsync(AciTestKit.Start("Bob.Smith@example.org".ToLowerInvariant(), token: "tok-2", profile: profile), CancellationToken.None);

        string group = Assert.Single(_arm.GroupNames);
        Assert.Matches("^hub-bob-smith-example-org-[0-9a-f]{12}$", group);
        var body = _arm.DefinitionOf(group)!;
        var container = body["properties"]!["containers"]![0]!["properties"]!;
        var variables = container["environmentVariables"]!.AsArray().Select(v => v!.AsObject()).ToList();
        var token = variables.Single(v => v["name"]!.GetValue<string>() == "JUPYTER_TOKEN");
        Assert.Equal("tok-2", token["secureValue"]!.GetValue<string>());
        Assert.False(token.ContainsKey("value"));
        var apiToken = variables.Single(v => v["name"]!.GetValue<string>() == "JUPYTERHUB_API_TOKEN");
        Assert.Equal("tok-2", apiToken["secureValue"]!.GetValue<string>());
        Assert.False(apiToken.ContainsKey("value"));
        string Plain(string name) => variables.Single(v => v["name"]!.GetValue<string>() == name)["value"]!.GetValue<string>();
        Assert.Equal("jupyterhub-user-bob.smith@example.org", Plain("JUPYTERHUB_CLIENT_ID"));
        Assert.Equal("/user/bob.smith@example.org/oauth_callback", Plain("JUPYTERHUB_OAUTH_CALLBACK_URL"));
        Assert.Equal($"http://0.0.0.0:{options.Port}/user/bob.smith@example.org/", Plain("JUPYTERHUB_SERVICE_URL"));
        Assert.EndsWith("/hub/api/users/bob.smith@example.org/activity", Plain("JUPYTERHUB_ACTIVITY_URL"));
        Assert.Contains(variables, v => v["name"]!.GetValue<string>() == "COURSE" && v["value"]!.GetValue<string>() == "ml");
        Assert.Equal("course/image:2", container["image"]!.GetValue<string>());
        Assert.Equal(2, container["resources"]!["requests"]!["cpu"]!.GetValue<double>());
        Assert.Contains("--ServerApp.base_url=/user/bob.smith@example.org/", container["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.DoesNotContain("tok-2", container["command"]!.ToJsonString(), StringComparison.Ordinal);
        var volume = body["properties"]!["volumes"]![0]!["azureFile"]!;
        Assert.Equal(ContainerGroupDefinition.ShareName(options, "bob.smith@example.org"), volume["shareName"]!.GetValue<string>());
        Assert.Equal("/home/jovyan", container["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        Assert.Equal("hub", body["tags"]![ContainerGroupDefinition.HubTag]!.GetValue<string>());
        Assert.Equal("bob.smith@example.org", body["tags"]![ContainerGroupDefinition.UserTag]!.GetValue<string>());
        Assert.Equal("Public", body["properties"]!["ipAddress"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_SubnetAndTemplate_PrivateIpAndCopyingInitContainerMatchTheSpec()
    {
        var options = AciTestKit.Options(_arm, s =>
        {
            s["ContainerInstances:SubnetId"] = $"/subscriptions/{ArmDouble.ArmDouble.SubscriptionId}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/aci";
            s["ContainerInstances:TemplateShare"] = "course-101";
        });
        var spawner = AciTestKit.Spawner(_arm, options);

        var created = await spawner.StartAsync(AciTestKit.Start("carol"), CancellationToken.None);

        Assert.Equal(SpawnerStatus.Creating, created.Status); // the double refuses (and records) any body off the spec
        var body = _arm.DefinitionOf("hub-carol")!;
        Assert.Equal("Private", body["properties"]!["ipAddress"]!["type"]!.GetValue<string>());
        Assert.False(body["properties"]!["ipAddress"]!.AsObject().ContainsKey("dnsNameLabel"));
        Assert.Single(body["properties"]!["subnetIds"]!.AsArray());
        var init = body["properties"]!["initContainers"]![0]!["properties"]!;
        Assert.Contains("cp -Rn /hub-template/. /hub-home/", init["command"]![2]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(body["properties"]!["volumes"]!.AsArray(), v => v!["azureFile"]!["shareName"]!.GetValue<string>() == "course-101" && v["azureFile"]!["readOnly"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Start_SecondTime_SkipsTheShareAndIsTheSameGroup()
    {
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm));
        var first = await spawner.StartAsync(AciTestKit.Start("dave"), CancellationToken.None);

        var again = await spawner.StartAsync(AciTestKit.Start("dave", state: first.State), CancellationToken.None);

        Assert.Equal(SpawnerStatus.Creating, again.Status);
        Assert.Equal(1, _arm.Count("share-put"));
        Assert.Equal(1, _arm.Count("group-create"));
        Assert.Equal(1, _arm.Count("group-update"));
        Assert.Single(_arm.GroupNames);
    }

    [Fact]
    public async Task Stop_RunningGroup_DeletesGroupKeepsShare()
    {
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm));
        var start = AciTestKit.Start("erin");
        var created = await spawner.StartAsync(start, CancellationToken.None);
        await AciTestKit.PollUntilSettledAsync(spawner, start with { State = created.State }, TimeSpan.FromSeconds(20));

        var stopped = await spawner.StopAsync(new SpawnerServer(start.Key, created.State), CancellationToken.None);
        var again = await spawner.StopAsync(new SpawnerServer(start.Key, created.State), CancellationToken.None);
        var seen = await spawner.PollAsync(new SpawnerServer(start.Key, created.State), CancellationToken.None);

        Assert.Equal(SpawnerStatus.Absent, stopped.Status);
        Assert.Equal(SpawnerStatus.Absent, again.Status);
        Assert.Equal(SpawnerStatus.Absent, seen.Status);
        Assert.Empty(_arm.GroupNames);
        Assert.Equal(["hub-erin"], _arm.Shares);
    }

    [Fact]
    public async Task Stop_SlowDelete_IsStoppingUntilGone()
    {
        _arm.Configure(_arm.Options with { DeleteLatency = TimeSpan.FromMilliseconds(600) });
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm));
        var start = AciTestKit.Start("fay");
        await spawner.StartAsync(start, CancellationToken.None);

        var stopping = await spawner.StopAsync(start, CancellationToken.None);
        SpawnerObservation gone = stopping;
        await Eventually.UntilAsync(async () => (gone = await spawner.PollAsync(start, CancellationToken.None)).Status != SpawnerStatus.Stopping,
            TimeSpan.FromSeconds(10), "the group to be gone");

        Assert.Equal(SpawnerStatus.Stopping, stopping.Status);
        Assert.Equal(SpawnerStatus.Absent, gone.Status);
    }

    [Fact]
    public async Task Poll_ProvisioningFailed_ReportsFailedWithAzuresEvents()
    {
        _arm.FailNextProvisioning("hub-gina");
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm));
        var start = AciTestKit.Start("gina");
        await spawner.StartAsync(start, CancellationToken.None);

        var failed = await AciTestKit.PollUntilSettledAsync(spawner, start, TimeSpan.FromSeconds(20));

        Assert.Equal(SpawnerStatus.Failed, failed.Status);
        Assert.Contains("Failed", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("pull", failed.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Start_QuotaReached_WaitsWithAMessageForAdmins()
    {
        _arm.Configure(_arm.Options with { ContainerGroupQuota = 1 });
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm));
        await spawner.StartAsync(AciTestKit.Start("hank"), CancellationToken.None);

        var waiting = await spawner.StartAsync(AciTestKit.Start("iris"), CancellationToken.None);

        Assert.Equal(SpawnerStatus.Waiting, waiting.Status);
        Assert.Contains("quota", waiting.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ContainerGroupQuotaReached", waiting.Detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), waiting.RetryAfter);
        Assert.Contains("\"HomeReady\":true", waiting.State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ArmThrottlesRepeatedly_WaitsAndPausesWritesForTheRetryAfter()
    {
        // A bucket of one token refilled every 5 s: ARM's Retry-After is 5 s.
        _arm.Configure(_arm.Options with { Writes = new BucketLimits(1, 0.2) });
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm));

        var first = await spawner.StartAsync(AciTestKit.Start("jack"), CancellationToken.None);
        await Task.Delay(first.RetryAfter!.Value);
        var again = await spawner.StartAsync(AciTestKit.Start("jack", state: first.State), CancellationToken.None);
        var other = await spawner.StartAsync(AciTestKit.Start("kate"), CancellationToken.None);

        Assert.Equal(SpawnerStatus.Waiting, first.Status);
        Assert.Contains("Your place is kept", first.Message, StringComparison.Ordinal);
        Assert.Contains("\"HomeReady\":true", first.State, StringComparison.Ordinal); // the share was made before the throttle
        Assert.True(first.RetryAfter <= TimeSpan.FromSeconds(1), "a first 429 costs a refill interval, not the whole Retry-After");
        Assert.Equal(SpawnerStatus.Waiting, again.Status);
        // ARM's Retry-After here is whole seconds until the next token (about 4 s after the first wait); the point is
        // that it is honoured instead of one refill interval, so the bound leaves room for a slow machine.
        Assert.True(again.RetryAfter > TimeSpan.FromSeconds(2), $"a repeated 429 honours ARM's Retry-After (waits {again.RetryAfter})");
        Assert.Equal(SpawnerStatus.Waiting, other.Status);
        Assert.Equal(2, _arm.Count("throttled")); // the other start did not even ask: writes are paused
    }

    [Fact]
    public async Task Start_AfterSeveralStarts_FirstLookIsWhenGroupsUsuallyFinishWithOneGet()
    {
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm, s => s["ContainerInstances:PollInterval"] = "2s"));
        var learning = new[] { "p1", "p2", "p3", "p4", "p5" };
        var states = new List<string?>();
        foreach (var user in learning)
        {
            states.Add((await spawner.StartAsync(AciTestKit.Start(user), CancellationToken.None)).State);
        }
        for (int i = 0; i < learning.Length; i++)
        {
            await AciTestKit.PollUntilSettledAsync(spawner, AciTestKit.Start(learning[i], state: states[i]), TimeSpan.FromSeconds(30));
        }
        int getsBefore = _arm.Count("group-get"), listsBefore = _arm.Count("group-list");

        var next = await spawner.StartAsync(AciTestKit.Start("p6"), CancellationToken.None);
        var early = await spawner.PollAsync(AciTestKit.Start("p6", state: next.State), CancellationToken.None);
        // Look when the spawner says to, and not before the double has finished the group: on a busy machine the
        // learned time can fall just short of the double's fixed latency, which is not what this test is about.
        var accepted = _arm.Attempts[^1];
        var untilFinished = accepted.Accepted + accepted.Latency - DateTimeOffset.UtcNow;
        await Task.Delay(untilFinished > next.RetryAfter!.Value ? untilFinished : next.RetryAfter!.Value);
        var running = await AciTestKit.PollUntilSettledAsync(spawner, AciTestKit.Start("p6", state: next.State), TimeSpan.FromSeconds(10));

        // Learned from the first five (300 ms provisioning, as their containers' start times say), not the 2 s poll interval.
        Assert.InRange(next.RetryAfter!.Value, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(1000));
        Assert.Equal(SpawnerStatus.Creating, early.Status);
        Assert.Equal(SpawnerStatus.Running, running.Status);
        Assert.Equal(getsBefore + 1, _arm.Count("group-get"));
        Assert.Equal(listsBefore, _arm.Count("group-list"));
    }

    [Fact]
    public async Task List_OnlyThisHubsGroups_WithTheirOwners()
    {
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm));
        var other = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm, s => s["ContainerInstances:NamePrefix"] = "other"));
        await spawner.StartAsync(AciTestKit.Start("lena"), CancellationToken.None);
        await spawner.StartAsync(new SpawnerStart(new ServerKey("lena", "gpu"), null, "t", SpawnProfile.BuiltIn, 1), CancellationToken.None);
        await other.StartAsync(AciTestKit.Start("mike"), CancellationToken.None);

        var listed = new List<SpawnedServer>();
        await foreach (var server in spawner.ListAsync(CancellationToken.None))
        {
            listed.Add(server);
        }

        Assert.Equal(3, _arm.GroupNames.Count);
        Assert.Equal([new ServerKey("lena", ""), new ServerKey("lena", "gpu")], listed.Select(s => s.Key).OrderBy(k => k.Server));
    }

    [Fact]
    public async Task List_ManyGroups_FollowsNextLinks()
    {
        _arm.Configure(_arm.Options with { ListPageSize = 2 });
        var spawner = AciTestKit.Spawner(_arm, AciTestKit.Options(_arm));
        foreach (var user in new[] { "n1", "n2", "n3", "n4", "n5" })
        {
            await spawner.StartAsync(AciTestKit.Start(user), CancellationToken.None);
        }

        var listed = new List<SpawnedServer>();
        await foreach (var server in spawner.ListAsync(CancellationToken.None))
        {
            listed.Add(server);
        }

        Assert.Equal(5, listed.Count);
        Assert.Equal(3, _arm.Count("group-list"));
    }

    [Theory]
    [InlineData(409, "ContainerGroupQuotaReached", "Resource type container group quota 'StandardCores' exceeded", true)]
    [InlineData(409, "Conflict", "The container group is transitioning", false)]
    [InlineData(400, "InvalidRequestContent", "bad body", false)]
    public void IsQuotaError_ByCodeOrMessage(int status, string code, string message, bool expected)
    {
        Assert.Equal(expected, ContainerInstanceSpawner.IsQuotaError(new ArmResponse(status, null, null, code, message)));
    }

    [Fact]
    public void GroupName_UsersDifferingOnlyInFoldedCharacters_GetDifferentGroupsAndShares()
    {
        var options = AciTestKit.Options(_arm);
        string[] users = ["a.b", "a-b", "a_b", "a b", "ä-b", "a--b", "a-b-0123456789ab"];

        var groups = users.Select(u => ContainerGroupDefinition.GroupName(options, new ServerKey(u, ""))).ToList();
        var shares = users.Select(u => ContainerGroupDefinition.ShareName(options, u)).ToList();

        Assert.Equal(users.Length, groups.Distinct().Count());
        Assert.Equal(users.Length, shares.Distinct().Count());
        Assert.All(groups.Concat(shares), name => Assert.True(ResourceNames.IsValid(name) && name.Length <= 63, name));
    }

    [Fact]
    public void OwnerOf_TagsThatDoNotReproduceTheName_IsUnknown()
    {
        var options = AciTestKit.Options(_arm);
        var tags = new Dictionary<string, string> { [ContainerGroupDefinition.UserTag] = "someone-else", [ContainerGroupDefinition.ServerTag] = "" };

        Assert.Null(ContainerGroupDefinition.OwnerOf(options, "hub-alice", tags));
        Assert.Equal(new ServerKey("alice", ""), ContainerGroupDefinition.OwnerOf(options, "hub-alice", new Dictionary<string, string> { [ContainerGroupDefinition.UserTag] = "alice" }));
    }

    [Fact]
    public async Task Get_GroupAsTheDoubleAnswers_MatchesTheSpecAndHidesSecrets()
    {
        var options = AciTestKit.Options(_arm);
        var spawner = AciTestKit.Spawner(_arm, options);
        var start = AciTestKit.Start("olga", token: "never-returned");
        await spawner.StartAsync(start, CancellationToken.None);
        var settled = await AciTestKit.PollUntilSettledAsync(spawner, start, TimeSpan.FromSeconds(20));
        Assert.Equal(SpawnerStatus.Running, settled.Status);
        var arm = new ArmClient(_arm.Endpoint, new LoopbackCredential());

        var got = await arm.SendAsync(global::Azure.Core.RequestMethod.Get, ArmDouble.ArmDouble.GroupResourcePath("hub-olga"), options.ApiVersion, null, CancellationToken.None);

        string json = got.Body!.Value.GetRawText();
        Assert.Empty(SpecValidator.ContainerGroup.Value.Validate(json));
        Assert.DoesNotContain("never-returned", json, StringComparison.Ordinal);
        Assert.DoesNotContain(ArmDoubleSettings.StorageKey, json, StringComparison.Ordinal);
        Assert.Equal("Running", JsonNode.Parse(json)!["properties"]!["instanceView"]!["state"]!.GetValue<string>());
    }
}
