using System.IO.Compression;
using System.Net;
using Hub.Testing;

namespace Hub.Functions.Tests.FunctionsHost;

/// <summary>The staged function app: the layout the Functions host expects, valid definitions, a handler that runs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublishTests(AzuriteFixture azurite, PublishFixture published) : IClassFixture<PublishFixture>
{
    [Fact]
    public void StagedTree_HasHostJsonFunctionsAndSelfContainedHandler()
    {
        Assert.True(File.Exists(Path.Combine(published.AppRoot, "host.json")));
        Assert.Equal(
            FunctionDefinitions.Functions(FunctionDefinitions.DefinitionsFolder).Keys.Order(),
            FunctionDefinitions.Functions(published.AppRoot).Keys.Order());

        var host = FunctionDefinitions.Read(Path.Combine(published.AppRoot, "host.json")).GetProperty("customHandler").GetProperty("description");
        string executable = Path.Combine(published.AppRoot, host.GetProperty("defaultExecutablePath").GetString()!);
        Assert.True(File.Exists(executable), $"{executable} is missing");
        Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute));
        Assert.True(Directory.Exists(Path.Combine(published.AppRoot, host.GetProperty("workingDirectory").GetString()!)));
        // Self-contained: the runtime travels with the handler instead of coming from the platform's stack.
        Assert.True(File.Exists(Path.Combine(published.AppRoot, "handler", "libcoreclr.so")));
        Assert.True(Directory.Exists(Path.Combine(published.AppRoot, "handler", "web")));
        Assert.False(File.Exists(Path.Combine(published.AppRoot, "local.settings.json")));
    }

    [Fact]
    public async Task StagedDefinitions_AreValidAgainstTheSchemas()
    {
        var hostSchema = await FunctionDefinitions.HostSchemaAsync();
        var functionSchema = await FunctionDefinitions.FunctionSchemaAsync();

        Assert.Empty(hostSchema.Validate(await File.ReadAllTextAsync(Path.Combine(published.AppRoot, "host.json"))));
        foreach (var (name, path) in FunctionDefinitions.Functions(published.AppRoot))
        {
            Assert.True(functionSchema.Validate(await File.ReadAllTextAsync(path)).Count == 0, $"{name}/function.json is invalid");
        }
    }

    [Fact]
    public void Zip_HoldsTheStagedTreeWithTheHandlerExecutable()
    {
        using var zip = ZipFile.OpenRead(published.Zip);
        var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName).ToHashSet();
        var staged = Directory.GetFiles(published.AppRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(published.AppRoot, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToHashSet();

        Assert.Equal(staged.Order(), files.Order());
        var handler = zip.GetEntry("handler/Hub.Functions")!;
        Assert.True(((handler.ExternalAttributes >> 16) & 0b001_000_000) != 0, "the handler lost its execute bit in the zip");
    }

    [Fact]
    public async Task StagedHandler_StartedAsTheHostStartsIt_AnswersHealth()
    {
        var host = FunctionDefinitions.Read(Path.Combine(published.AppRoot, "host.json")).GetProperty("customHandler").GetProperty("description");
        int port = FreePort.Next();
        await using var handler = ChildProcess.Start(
            Path.Combine(published.AppRoot, host.GetProperty("defaultExecutablePath").GetString()!),
            [],
            Path.Combine(published.AppRoot, host.GetProperty("workingDirectory").GetString()!),
            new Dictionary<string, string?>
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Storage__ConnectionString"] = azurite.ConnectionString,
                ["Storage__TablePrefix"] = AzuriteFixture.UniqueTableName("pub"),
                // Local mode keeps its state (the generated key) outside the staged tree, which must stay as published.
                ["Hub__DataDirectory"] = Path.Combine(Path.GetTempPath(), "hub-publish-data-" + Guid.NewGuid().ToString("N")),
            });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        try
        {
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    return (await client.GetAsync("/hub/health")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return !handler.HasExited && false;
                }
            }, TimeSpan.FromSeconds(60), "the published handler to answer /hub/health with 200");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}. Handler output:\n{handler.Output}", ex);
        }
    }
}
