using Hub.Core.Hosting;
using Microsoft.Extensions.Configuration;

namespace Hub.Core.Tests.Hosting;

public sealed class LocalSettingsFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("hub-settings-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void AddTo_FileWithValues_AddsThemBelowEnvironment()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, LocalSettingsFile.FileName),
            """{ "IsEncrypted": false, "Values": { "Storage__TablePrefix": "fromfile", "Users__NamePattern": "^x$", "Number": 5 } }""");
        var builder = new ConfigurationBuilder().AddInMemoryCollection([new("Users:NamePattern", "^env$")]);

        LocalSettingsFile.AddTo(builder, _directory.FullName);
        var configuration = builder.Build();

        Assert.Equal("fromfile", configuration["Storage:TablePrefix"]);
        Assert.Equal("^env$", configuration["Users:NamePattern"]);
        Assert.Equal("5", configuration["Number"]);
    }

    [Fact]
    public void AddTo_NoFile_AddsNothing()
    {
        var builder = new ConfigurationBuilder();

        LocalSettingsFile.AddTo(builder, _directory.FullName);

        Assert.Empty(builder.Sources);
    }

    [Fact]
    public void AddTo_InvalidJson_NamesTheFile()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, LocalSettingsFile.FileName), "{ not json");

        var error = Assert.Throws<Hub.Core.Configuration.AppSettingsException>(() => LocalSettingsFile.AddTo(new ConfigurationBuilder(), _directory.FullName));

        Assert.Contains(LocalSettingsFile.FileName, error.Message, StringComparison.Ordinal);
    }
}
