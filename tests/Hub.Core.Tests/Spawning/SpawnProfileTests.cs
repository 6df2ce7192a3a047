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
}
