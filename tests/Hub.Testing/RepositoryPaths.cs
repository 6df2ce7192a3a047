namespace Hub.Testing;

/// <summary>Paths inside this repository, found from the test's output folder.</summary>
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

    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);
}
