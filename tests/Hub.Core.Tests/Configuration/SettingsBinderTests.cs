using Hub.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Tests.Configuration;

public sealed class SettingsBinderTests
{
    public enum Mode
    {
        Local,
        SharedPassword,
    }

    public sealed class SampleOptions : ISettingsSection
    {
        public static string Section => "Sample";

        public string Name { get; set; } = "default";

        public bool Enabled { get; set; }

        public int Count { get; set; } = 3;

        public long Big { get; set; }

        public double Ratio { get; set; } = 0.5;

        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

        public Uri? Endpoint { get; set; }

        public Mode Kind { get; set; }

        public IReadOnlyList<string> Admins { get; set; } = [];

        [SecretSetting]
        public string Password { get; set; } = "";

        [SettingKey("HOST_PORT")]
        [SetByHost]
        public int? HostPort { get; set; }

        public void Validate(SettingsProblems problems)
        {
            if (IdleTimeout < TimeSpan.FromMinutes(1))
            {
                problems.Add("Sample__IdleTimeout", "must be at least 1 minute");
            }
            if (Password.Length is > 0 and < 8)
            {
                problems.Add("Sample__Password", "must have at least 8 characters");
            }
        }
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(SettingsBinder.ConfigurationPath(v.Key), v.Value)))
            .Build();

    [Fact]
    public void Bind_NothingSet_KeepsDefaults()
    {
        var problems = new SettingsProblems();

        var options = SettingsBinder.Bind<SampleOptions>(Config(), problems);

        Assert.False(problems.Any);
        Assert.Equal(("default", 3, TimeSpan.FromMinutes(10)), (options.Name, options.Count, options.IdleTimeout));
    }

    [Fact]
    public void Bind_EveryType_Parses()
    {
        var problems = new SettingsProblems();

        var options = SettingsBinder.Bind<SampleOptions>(Config(
            ("Sample__Name", "workshop"),
            ("Sample__Enabled", "True"),
            ("Sample__Count", "42"),
            ("Sample__Big", "9000000000"),
            ("Sample__Ratio", "1.25"),
            ("Sample__IdleTimeout", "90m"),
            ("Sample__Endpoint", "https://example.org/x"),
            ("Sample__Kind", "shared-password"),
            ("Sample__Admins", "alice, bob;carol,"),
            ("HOST_PORT", "7071")), problems);

        Assert.Empty(problems.Messages);
        Assert.Equal("workshop", options.Name);
        Assert.True(options.Enabled);
        Assert.Equal(42, options.Count);
        Assert.Equal(9_000_000_000, options.Big);
        Assert.Equal(1.25, options.Ratio);
        Assert.Equal(TimeSpan.FromMinutes(90), options.IdleTimeout);
        Assert.Equal(new Uri("https://example.org/x"), options.Endpoint);
        Assert.Equal(Mode.SharedPassword, options.Kind);
        Assert.Equal(["alice", "bob", "carol"], options.Admins);
        Assert.Equal(7071, options.HostPort);
    }

    [Fact]
    public void Bind_SeveralBadValues_ReportsEveryOneByKey()
    {
        var problems = new SettingsProblems();

        SettingsBinder.Bind<SampleOptions>(Config(
            ("Sample__Count", "many"),
            ("Sample__Enabled", "yes please"),
            ("Sample__IdleTimeout", "30s"),
            ("Sample__Kind", "ldap"),
            ("Sample__Endpoint", "not a url"),
            ("Sample__Pasword", "x"),
            ("Sample__Password", "short")), problems);

        Assert.Equal(7, problems.Messages.Count);
        Assert.Contains("Sample__Count must be a whole number, not 'many'", problems.Messages);
        Assert.Contains("Sample__Enabled must be true or false, not 'yes please'", problems.Messages);
        Assert.Contains("Sample__IdleTimeout must be at least 1 minute", problems.Messages);
        Assert.Contains("Sample__Kind must be one of local, shared-password, not 'ldap'", problems.Messages);
        Assert.Contains("Sample__Endpoint must be an absolute URL, not 'not a url'", problems.Messages);
        Assert.Contains("Sample__Pasword is not a setting this app reads (did you mean Sample__Password?)", problems.Messages);
        Assert.Contains("Sample__Password must have at least 8 characters", problems.Messages);
    }

    [Fact]
    public void Bind_SecretThatDoesNotParse_IsNotEchoed()
    {
        var problems = new SettingsProblems();

        SettingsBinder.Bind<SecretNumberOptions>(Config(("Secret__Pin", "hunter2")), problems);

        Assert.Equal("Secret__Pin must be a whole number", Assert.Single(problems.Messages));
    }

    [Fact]
    public void Describe_ListsKeysDefaultsAndKinds()
    {
        var settings = SettingsBinder.Describe<SampleOptions>().ToDictionary(s => s.Key);

        Assert.Equal("00:10:00", settings["Sample__IdleTimeout"].Default);
        Assert.Equal("local", settings["Sample__Kind"].Default);
        Assert.Equal("", settings["Sample__Admins"].Default);
        Assert.True(settings["Sample__Password"].IsSecret);
        Assert.True(settings["HOST_PORT"].IsSetByHost);
        Assert.Equal(11, settings.Count);
    }

    [Fact]
    public void AppSettings_ProblemsInTwoSections_ThrowsOnceWithAll()
    {
        var settings = new AppSettings(Config(("Sample__Count", "x"), ("Secret__Pin", "y")));
        settings.Add<SampleOptions>();
        settings.Add<SecretNumberOptions>();

        var error = Assert.Throws<AppSettingsException>(() => settings.Register(new Microsoft.Extensions.DependencyInjection.ServiceCollection()));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("Sample__Count", error.Message, StringComparison.Ordinal);
        Assert.Contains("Secret__Pin", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:05:00", 300)]
    [InlineData("1.00:00:00", 86400)]
    [InlineData("90s", 90)]
    [InlineData("1.5h", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("250ms", 0.25)]
    [InlineData("0", 0)]
    public void TryParseDuration_AcceptedForms(string text, double seconds)
    {
        Assert.True(SettingValue.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("00")]
    [InlineData("five minutes")]
    [InlineData("-1m")]
    [InlineData("5y")]
    public void TryParseDuration_Rejected(string text) => Assert.False(SettingValue.TryParseDuration(text, out _));

    public sealed class SecretNumberOptions : ISettingsSection
    {
        public static string Section => "Secret";

        [SecretSetting]
        public int Pin { get; set; }

        public void Validate(SettingsProblems problems)
        {
        }
    }
}
