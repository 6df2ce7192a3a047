using Hub.Core.Configuration;
using Hub.Core.Spawning;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Tests.Spawning;

public sealed class SpawnProfileTests
{
    [Fact]
    public void TryParseList_Empty_IsTheBuiltInDefault()
    {
        Assert.True(SpawnProfile.TryParseList("", out var profiles, out var problems));
        Assert.Empty(problems);
        Assert.Equal([SpawnProfile.BuiltIn], profiles);
    }

    [Fact]
    public void TryParseList_ValidProfiles_ReadsEveryField()
    {
        const string json = """
            [{"slug":"small","displayName":"Small"},
             {"slug":"large","displayName":"Large (8 GB)","image":"course/ml:3","cpu":2,"memoryInGb":8,"environment":{"COURSE":"ml"},"default":true}]
            """;

        Assert.True(SpawnProfile.TryParseList(json, out var profiles, out var problems), string.Join("; ", problems));
        var large = profiles[1];
        Assert.Equal(("large", "course/ml:3", 2.0, 8.0, true), (large.Slug, large.Image, large.Cpu!.Value, large.MemoryInGb!.Value, large.Default));
        Assert.Equal("ml", large.EnvironmentOrEmpty["COURSE"]);
    }

    [Fact]
    public void TryParseList_SeveralMistakes_ReportsEveryOne()
    {
        const string json = """
            [{"slug":"Big One","cpu":64},
             {"slug":"a","memoryInGB":4,"environment":{"JUPYTER_TOKEN":"x","1BAD":"y"}},
             {"slug":"c","default":true},{"slug":"c","default":true}]
            """;

        Assert.False(SpawnProfile.TryParseList(json, out _, out var problems));
        string all = string.Join("\n", problems);
        Assert.Contains("profile 1: 'slug'", all, StringComparison.Ordinal);
        Assert.Contains("profile 1: 'cpu' must be a number above 0 and at most 4", all, StringComparison.Ordinal);
        Assert.Contains("'memoryInGB' is not a profile field", all, StringComparison.Ordinal);
        Assert.Contains("'JUPYTER_TOKEN' cannot be set", all, StringComparison.Ordinal);
        Assert.Contains("'1BAD' cannot be set", all, StringComparison.Ordinal);
        Assert.Contains("names profile 'c' twice", all, StringComparison.Ordinal);
        Assert.Contains("more than one profile as default", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ProfilesNotJson_ProblemNamesTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Spawner:Profiles"] = "[{" }).Build();
        var problems = new SettingsProblems();

        SettingsBinder.Bind<SpawnerOptions>(configuration, problems);

        Assert.Contains(problems.Messages, m => m.StartsWith("Spawner__Profiles is not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void FindProfile_NoneAsked_IsTheMarkedDefault()
    {
        var options = new SpawnerOptions { Profiles = """[{"slug":"a"},{"slug":"b","default":true}]""" };
        options.Validate(new SettingsProblems());

        Assert.Equal("b", options.FindProfile(null)!.Slug);
        Assert.Equal("a", options.FindProfile("a")!.Slug);
        Assert.Null(options.FindProfile("c"));
    }

    [Fact]
    public void ServerKindAndCommand_PerProfile_OverrideTheSpawnersDefault()
    {
        var options = new SpawnerOptions
        {
            Profiles = """[{"slug":"plain"},{"slug":"hub","serverKind":"jupyterhub-singleuser","command":"jupyterhub-singleuser --notebook-dir={home}"}]""",
        };
        var problems = new SettingsProblems();
        options.Validate(problems);

        Assert.Empty(problems.Messages);
        Assert.Equal(ServerKind.Jupyter, options.KindOf(options.FindProfile("plain")!));
        Assert.Equal(ServerKind.JupyterhubSingleuser, options.KindOf(options.FindProfile("hub")!));
        Assert.Equal(["jupyterhub-singleuser", "--notebook-dir={home}"], options.FindProfile("hub")!.CommandArguments);
        Assert.Null(options.FindProfile("plain")!.CommandArguments);
    }

    [Fact]
    public void BadServerKindCommandAndSettings_AreEachReported()
    {
        var options = new SpawnerOptions
        {
            Profiles = """[{"slug":"a","serverKind":"lab","command":"jupyter {token}"}]""",
            HubApiUrl = "http://10.0.0.4/api",
            NamedServerLimitPerUser = -1,
        };
        var problems = new SettingsProblems();
        options.Validate(problems);

        Assert.Contains(problems.Messages, m => m.Contains("'serverKind' must be 'jupyter' or 'jupyterhub-singleuser', not 'lab'", StringComparison.Ordinal));
        Assert.Contains(problems.Messages, m => m.Contains("'command' uses {token}", StringComparison.Ordinal));
        Assert.Contains(problems.Messages, m => m.StartsWith("Spawner__HubApiUrl must be", StringComparison.Ordinal));
        Assert.Contains(problems.Messages, m => m.StartsWith("Spawner__NamedServerLimitPerUser must be", StringComparison.Ordinal));
    }

    [Fact]
    public void EffectiveHubApiUrl_DefaultsToThePublicUrlsHubApi()
    {
        Assert.Equal("https://hub.example.edu/hub/api", new SpawnerOptions().EffectiveHubApiUrl(new Uri("https://hub.example.edu/")).AbsoluteUri);
        Assert.Equal("http://10.0.0.4:8000/hub/api", new SpawnerOptions { HubApiUrl = "http://10.0.0.4:8000/hub/api/" }.EffectiveHubApiUrl(new Uri("https://hub.example.edu/")).AbsoluteUri);
    }
}
