using System.Security.Cryptography;
using System.Text;
using Hub.Testing;

namespace Hub.Repository.Tests.Specs;

/// <summary>tests/specs/fetch-specs.sh against a local HTTP server: what reaches the cache, and what a person is told.</summary>
public sealed class FetchSpecsScriptTests : IDisposable
{
    private static readonly byte[] Spec = Encoding.UTF8.GetBytes("{\"swagger\": \"2.0\"}\n");
    private static readonly string SpecHash = Convert.ToHexStringLower(SHA256.HashData(Spec));

    private readonly FetchSpecsRun _run = new();

    [Fact]
    public async Task MatchingHash_PutsTheFileInTheCache()
    {
        await using var server = await SpecFileServer.StartAsync();
        var url = server.Serve("owner/repo/0123/spec.json", Spec);
        _run.WriteManifest(("arm/schemas/spec.json", SpecHash, url));

        var (code, output) = await _run.RunAsync();

        Assert.True(code == 0, output);
        Assert.Equal(["arm/schemas/spec.json"], _run.CachedFiles());
        Assert.Equal(Spec, await File.ReadAllBytesAsync(Path.Combine(_run.Cache, "arm", "schemas", "spec.json")));
    }

    [Fact]
    public async Task FileAlreadyCachedWithTheRightHash_IsNotDownloadedAgain()
    {
        await using var server = await SpecFileServer.StartAsync();
        var url = server.Serve("spec.json", Spec);
        _run.WriteManifest(("spec.json", SpecHash, url));

        var first = await _run.RunAsync();
        var second = await _run.RunAsync();

        Assert.True(first.Code == 0 && second.Code == 0, first.Output + second.Output);
        Assert.Equal(1, server.RequestsFor("spec.json"));
    }

    [Fact]
    public async Task WrongHash_IsRefusedNamingTheFileTheUrlAndBothHashes_AndLeavesNothingInTheCache()
    {
        await using var server = await SpecFileServer.StartAsync();
        var url = server.Serve("spec.json", Spec);
        string expected = new('0', 64);
        _run.WriteManifest(("aci.json", expected, url));

        var (code, output) = await _run.RunAsync();

        Assert.NotEqual(0, code);
        Assert.Contains("refused aci.json", output, StringComparison.Ordinal);
        Assert.Contains(url.ToString(), output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains(SpecHash, output, StringComparison.Ordinal);
        Assert.Empty(_run.CachedFiles());
    }

    [Fact]
    public async Task CachedFileWithAWrongHash_IsReplaced()
    {
        await using var server = await SpecFileServer.StartAsync();
        var url = server.Serve("spec.json", Spec);
        _run.WriteManifest(("spec.json", SpecHash, url));
        Directory.CreateDirectory(_run.Cache);
        await File.WriteAllTextAsync(Path.Combine(_run.Cache, "spec.json"), "an older version");

        var (code, output) = await _run.RunAsync();

        Assert.True(code == 0, output);
        Assert.Equal(Spec, await File.ReadAllBytesAsync(Path.Combine(_run.Cache, "spec.json")));
    }

    [Fact]
    public async Task UnreachableUrl_NamesTheUrlAndHubSpecsDir_AndStopsTrying()
    {
        // A port that was free a moment ago: nothing listens there, so the connection is refused.
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/owner/repo/0123/spec.json");
        _run.WriteManifest(("spec.json", SpecHash, closed), ("other.json", SpecHash, new Uri(closed, "other.json")));

        var (code, output) = await _run.RunAsync();

        Assert.NotEqual(0, code);
        Assert.Contains(closed.ToString(), output, StringComparison.Ordinal);
        Assert.Contains("HUB_SPECS_DIR", output, StringComparison.Ordinal);
        Assert.DoesNotContain("other.json", output, StringComparison.Ordinal);
        Assert.Empty(_run.CachedFiles());
    }

    [Fact]
    public async Task MissingUpstreamFile_NamesItsUrl_AndTheOthersAreStillDownloaded()
    {
        await using var server = await SpecFileServer.StartAsync();
        var good = server.Serve("good.json", Spec);
        var missing = new Uri(server.Address, "gone.json");
        _run.WriteManifest(("gone.json", SpecHash, missing), ("good.json", SpecHash, good));

        var (code, output) = await _run.RunAsync();

        Assert.NotEqual(0, code);
        Assert.Contains(missing.ToString(), output, StringComparison.Ordinal);
        Assert.Equal(["good.json"], _run.CachedFiles());
    }

    [Fact]
    public async Task HubSpecsDirSet_DownloadsNothing()
    {
        await using var server = await SpecFileServer.StartAsync();
        _run.WriteManifest(("spec.json", SpecHash, server.Serve("spec.json", Spec)));

        var (code, output) = await _run.RunAsync(specsDir: _run.Folder);

        Assert.True(code == 0, output);
        Assert.Equal(0, server.RequestsFor("spec.json"));
        Assert.Empty(_run.CachedFiles());
    }

    [Fact]
    public async Task SharedSpecsBesideTheRepository_DownloadsNothing()
    {
        await using var server = await SpecFileServer.StartAsync();
        _run.WriteManifest(("spec.json", SpecHash, server.Serve("spec.json", Spec)));
        Directory.CreateDirectory(Path.Combine(_run.Folder, "shared", "specs"));

        var (code, output) = await _run.RunAsync();

        Assert.True(code == 0, output);
        Assert.Equal(0, server.RequestsFor("spec.json"));
        Assert.Empty(_run.CachedFiles());
    }

    [Fact]
    public async Task Script_PassesShellcheck()
    {
        // ./hub setup installs shellcheck (DEBIAN_PACKAGES).
        await using var process = ChildProcess.Start("shellcheck", ["--severity=style", RepositoryPaths.InRoot("tests", "specs", "fetch-specs.sh")], RepositoryPaths.Root);
        int code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == 0, process.Output);
    }

    public void Dispose() => _run.Dispose();
}
