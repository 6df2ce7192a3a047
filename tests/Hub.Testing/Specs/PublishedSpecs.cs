using System.Collections.Concurrent;

namespace Hub.Testing.Specs;

/// <summary>
/// The published specs (JupyterHub's REST API, Azure's ARM specs and schemas, the Functions schemas) as this test run
/// reads them: the folder is chosen once from the process's environment (see <see cref="SpecsFolderResolver"/>), and
/// every file is checked against the manifest (<see cref="SpecManifest"/>). When the specs are not available, the
/// first access throws <see cref="PublishedSpecsUnavailableException"/> naming <c>HUB_SPECS_DIR</c> and
/// <c>./hub setup</c>; a test never skips silently.
/// </summary>
public static class PublishedSpecs
{
    private static readonly Lazy<SpecsResolution> Resolution = new(() => SpecsFolderResolver.Resolve(
        Environment.GetEnvironmentVariable(SpecsFolderResolver.SpecsDirVariable),
        Environment.GetEnvironmentVariable(SpecsFolderResolver.CacheVariable),
        RepositoryPaths.Root));

    private static readonly Lazy<IReadOnlyDictionary<string, string>> ExpectedHashes = new(() =>
        SpecManifest.Read(SpecManifest.DefaultPath).ToDictionary(source => source.RelativePath, source => source.Sha256, StringComparer.Ordinal));

    // Each file is hashed once per run, however many tests read it.
    private static readonly ConcurrentDictionary<string, Lazy<SpecsLookup>> Lookups = new(StringComparer.Ordinal);

    /// <summary>The chosen folder (throws when there is none).</summary>
    public static string Folder => Resolution.Value.FolderOrThrow().Path;

    /// <summary>The full path of a spec, given as the manifest names it (e.g. <c>arm/schemas/common/definitions.json</c>).</summary>
    public static string PathOf(string relativePath)
    {
        var folder = Resolution.Value.FolderOrThrow();
        return Lookups.GetOrAdd(relativePath, path => new Lazy<SpecsLookup>(() =>
                folder.Locate(path, ExpectedHashes.Value.GetValueOrDefault(path))))
            .Value.PathOrThrow();
    }
}
