using Microsoft.Extensions.FileProviders;

namespace Hub.Functions.Pages;

/// <summary>
/// The folder holding the pages (<c>web/</c> of the repository): beside the app when published (<c>handler/web/</c>),
/// otherwise the repository's own <c>web/</c> above the build output, so edits show without a rebuild.
/// </summary>
public sealed class WebRoot
{
    private WebRoot(string path)
    {
        Path = path;
        Files = new PhysicalFileProvider(path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Its files; the provider refuses paths that leave the folder.</summary>
    public IFileProvider Files { get; }

    /// <summary>Finds the folder from <paramref name="baseDirectory"/> (the app's own folder), or throws naming where it looked.</summary>
    public static WebRoot Locate(string baseDirectory)
    {
        string beside = System.IO.Path.Combine(baseDirectory, "web");
        if (Directory.Exists(System.IO.Path.Combine(beside, "pages")))
        {
            return new WebRoot(System.IO.Path.GetFullPath(beside));
        }
        for (var directory = new DirectoryInfo(baseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = System.IO.Path.Combine(directory.FullName, "web");
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ServerlessHub.slnx")) && Directory.Exists(System.IO.Path.Combine(candidate, "pages")))
            {
                return new WebRoot(candidate);
            }
        }
        throw new InvalidOperationException($"The pages (web/pages) were found neither beside the app ({beside}) nor in a repository above it.");
    }
}
