using Hub.Testing;

namespace Hub.Repository.Tests.Specs;

/// <summary>
/// The real download script, run from a copy of the repository's layout in a temporary folder: the repository's own
/// checkout may have a shared/specs folder beside it, which would make the script (rightly) do nothing. The copy has a
/// manifest and a cache of its own, named through the script's environment variables.
/// </summary>
public sealed class FetchSpecsRun : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public FetchSpecsRun()
    {
        Folder = Directory.CreateTempSubdirectory("fetch-specs-").FullName;
        string scripts = Path.Combine(Repository, "tests", "specs");
        Directory.CreateDirectory(scripts);
        File.Copy(RepositoryPaths.InRoot("tests", "specs", "fetch-specs.sh"), Path.Combine(scripts, "fetch-specs.sh"));
    }

    /// <summary>The temporary folder; the copied repository is <see cref="Repository"/> inside it.</summary>
    public string Folder { get; }

    public string Repository => Path.Combine(Folder, "repo");

    public string Manifest => Path.Combine(Folder, "sources.tsv");

    public string Cache => Path.Combine(Folder, "cache");

    public void WriteManifest(params (string Path, string Sha256, Uri Url)[] lines) =>
        File.WriteAllText(Manifest, "# test manifest\n" + string.Concat(lines.Select(line => $"{line.Path}\t{line.Sha256}\t{line.Url}\n")));

    /// <summary>Runs the script to its end; <paramref name="specsDir"/> is the HUB_SPECS_DIR it sees (none by default).</summary>
    public async Task<(int Code, string Output)> RunAsync(string? specsDir = null)
    {
        await using var process = ChildProcess.Start("bash", [Path.Combine(Repository, "tests", "specs", "fetch-specs.sh")], Folder, new Dictionary<string, string?>
        {
            ["HUB_SPECS_DIR"] = specsDir,
            ["HUB_SPECS_MANIFEST"] = Manifest,
            ["HUB_SPECS_CACHE"] = Cache,
            // The local server must be reached directly, whatever proxy the machine is set up with.
            ["http_proxy"] = null,
            ["HTTP_PROXY"] = null,
            ["all_proxy"] = null,
            ["ALL_PROXY"] = null,
            ["NO_PROXY"] = "127.0.0.1",
            ["no_proxy"] = "127.0.0.1",
        });
        int code = await process.WaitForExitAsync(Timeout);
        return (code, process.Output);
    }

    /// <summary>Every file in the cache, as paths relative to it.</summary>
    public IReadOnlyList<string> CachedFiles() =>
        Directory.Exists(Cache)
            ? Directory.GetFiles(Cache, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(Cache, file)).Order(StringComparer.Ordinal).ToList()
            : [];

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
