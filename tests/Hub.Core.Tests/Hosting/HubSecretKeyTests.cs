using Hub.Core.Configuration;
using Hub.Core.Hosting;

namespace Hub.Core.Tests.Hosting;

public sealed class HubSecretKeyTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("hub-key-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Load_LocalWithoutKey_GeneratesOneKeySharedByConcurrentLoaders()
    {
        var options = new HubOptions { DataDirectory = Path.Combine(_directory.FullName, "data") };

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => HubSecretKey.Load(options))));

        Assert.All(keys, key => Assert.Equal(keys[0], key));
        Assert.Equal(32, keys[0].Length);
        string file = Path.Combine(options.DataDirectory, HubSecretKey.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Single(Directory.GetFiles(options.DataDirectory));
    }

    [Fact]
    public void Load_ConfiguredKey_IsUsed()
    {
        byte[] configured = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var key = HubSecretKey.Load(new HubOptions { SecretKey = Convert.ToBase64String(configured), DataDirectory = _directory.FullName });

        Assert.Equal(configured, key);
        Assert.Empty(Directory.GetFiles(_directory.FullName));
    }

    [Theory]
    [InlineData("azure", "", "https://hub.example.org", "Hub__SecretKey must be set in Azure mode")]
    [InlineData("local", "c2hvcnQ=", "http://127.0.0.1:8000", "Hub__SecretKey must be base64 for at least 32")]
    [InlineData("azure", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "http://hub.example.org", "Hub__PublicUrl must be an https URL in Azure mode")]
    public void Validate_BadCombination_NamesTheKey(string mode, string key, string url, string expected)
    {
        var options = new HubOptions { Mode = Enum.Parse<HubMode>(mode, ignoreCase: true), SecretKey = key, PublicUrl = new Uri(url) };
        var problems = new SettingsProblems();

        options.Validate(problems);

        Assert.Contains(problems.Messages, m => m.StartsWith(expected, StringComparison.Ordinal));
    }
}
