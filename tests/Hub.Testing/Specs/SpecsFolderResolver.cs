namespace Hub.Testing.Specs;

/// <summary>
/// Chooses the folder of published specs: the folder named by <c>HUB_SPECS_DIR</c>; else a <c>shared/specs</c> folder
/// beside the repository; else the cache that <c>./hub setup</c> fills (<c>HUB_SPECS_CACHE</c>, by default
/// <c>.hub-data/specs</c> in the repository). Relative paths are taken from the repository root, as the download
/// script takes them. A pure function of its arguments, so tests can try every case without touching the process's
/// environment.
/// </summary>
public static class SpecsFolderResolver
{
    public const string SpecsDirVariable = "HUB_SPECS_DIR";
    public const string CacheVariable = "HUB_SPECS_CACHE";

    /// <summary>The cache's place in the repository when <c>HUB_SPECS_CACHE</c> is not set (git-ignored with the rest of .hub-data).</summary>
    public static readonly string DefaultCache = Path.Combine(".hub-data", "specs");

    /// <param name="specsDir">The value of <c>HUB_SPECS_DIR</c>, or null.</param>
    /// <param name="cache">The value of <c>HUB_SPECS_CACHE</c>, or null.</param>
    /// <param name="repositoryRoot">The folder holding ServerlessHub.slnx.</param>
    public static SpecsResolution Resolve(string? specsDir, string? cache, string repositoryRoot)
    {
        if (!string.IsNullOrEmpty(specsDir))
        {
            // Named on purpose: never fall back to another source, which would test against files the person did not choose.
            string named = InRoot(repositoryRoot, specsDir);
            return Directory.Exists(named)
                ? SpecsResolution.Found(new SpecsFolder(named, SpecsOrigin.SpecsDirVariable))
                : SpecsResolution.Problem(SpecsMessages.Unavailable($"{SpecsDirVariable} names {named}, which is not a folder."));
        }
        string beside = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "specs"));
        if (Directory.Exists(beside))
        {
            return SpecsResolution.Found(new SpecsFolder(beside, SpecsOrigin.BesideRepository));
        }
        string cacheFolder = InRoot(repositoryRoot, string.IsNullOrEmpty(cache) ? DefaultCache : cache);
        return Directory.Exists(cacheFolder)
            ? SpecsResolution.Found(new SpecsFolder(cacheFolder, SpecsOrigin.Cache))
            : SpecsResolution.Problem(SpecsMessages.Unavailable(
                $"{SpecsDirVariable} is not set, there is no shared/specs folder beside the repository, and the specs cache {cacheFolder} does not exist."));
    }

    private static string InRoot(string repositoryRoot, string path) => Path.GetFullPath(Path.Combine(repositoryRoot, path));
}

/// <summary>The chosen folder, or the message explaining that none is available.</summary>
public sealed record SpecsResolution(SpecsFolder? Folder, string? ProblemMessage)
{
    public static SpecsResolution Found(SpecsFolder folder) => new(folder, null);

    public static SpecsResolution Problem(string message) => new(null, message);

    /// <summary>The folder; throws <see cref="PublishedSpecsUnavailableException"/> with the message when there is none.</summary>
    public SpecsFolder FolderOrThrow() => Folder ?? throw new PublishedSpecsUnavailableException(ProblemMessage!);
}
