using Hub.Core.Users;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>
/// Users' homes under <c>{data}/homes/{slug}/</c>, created on first start (from the course template, if one is set) and
/// never deleted by stop or cull. A new home is assembled aside and moved into place, so a crash mid-copy leaves no
/// half-filled home that would be taken for a complete one.
/// </summary>
internal sealed class HomeDirectories(string root, string templateDirectory, ILogger logger)
{
    public string PathOf(string user) => Path.Combine(root, ResourceNames.ForUser(user));

    public string Ensure(string user)
    {
        string home = PathOf(user);
        if (Directory.Exists(home))
        {
            return home;
        }
        Directory.CreateDirectory(root);
        string assembling = Path.Combine(root, "." + Path.GetFileName(home) + "." + Guid.NewGuid().ToString("N") + ".new");
        CreatePrivateDirectory(assembling);
        if (templateDirectory.Length > 0)
        {
            CopyTree(templateDirectory, assembling);
        }
        try
        {
            Directory.Move(assembling, home);
            SpawnLog.HomeCreated(logger, UserNamePolicy.Shorten(user), home);
        }
        catch (IOException) when (Directory.Exists(home))
        {
            // Created meanwhile by another start: theirs wins.
            Directory.Delete(assembling, recursive: true);
        }
        return home;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
