using Hub.Testing;

namespace Hub.Functions.Tests.FunctionsHost;

/// <summary>Runs the documented publish command (<c>./hub publish DIR</c>) once into a temporary folder.</summary>
public sealed class PublishFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("hub-publish-");

    public string AppRoot => Path.Combine(_root.FullName, "functionapp");

    public string Zip => AppRoot + ".zip";

    public string Output { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await using var publish = ChildProcess.Start("bash", [RepositoryPaths.InRoot("hub"), "publish", AppRoot], RepositoryPaths.Root);
        int exitCode = await publish.WaitForExitAsync(TimeSpan.FromMinutes(10));
        Output = publish.Output;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"./hub publish exited with {exitCode}:\n{Output}");
        }
    }

    public Task DisposeAsync()
    {
        _root.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
