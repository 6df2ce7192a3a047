namespace Hub.Testing;

/// <summary>Paths inside this repository and beside it, found from the test's output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ServerlessHub.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The tests must run inside a checkout of the repository (ServerlessHub.slnx not found above " + AppContext.BaseDirectory + ").");
    });

    /// <summary>The repository root (the folder holding ServerlessHub.slnx).</summary>
    public static string Root => RootPath.Value;

    /// <summary>The shared folder beside the project: specs and references the tests check against.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);
}
