namespace Hub.Core.Spawning.LocalProcess;

/// <summary>
/// Who may enter the hub's data folder. Without per-user accounts it is the hub's alone (0700). With them the data
/// folder and <c>homes/</c> are 0711: an account may pass through to its own home (0700, its own) but can list
/// neither, and can read nothing of the hub's (<c>secret.key</c> is 0600, <c>servers/</c> 0700). Every folder above
/// the data folder must let others pass too, or no account could reach its home; that is refused with the folder named.
/// The data folder must be the hub's own: a shared one (<c>/tmp</c> itself) is refused rather than closed.
/// </summary>
internal static class DataFolderAccess
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PassThrough = Private | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Creates and sets the modes of the folders; returns why accounts could not reach their homes, or null.</summary>
    public static string? Prepare(string data, string homes, string servers, bool accounts)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        Directory.CreateDirectory(data);
        if (Directory.GetParent(data) is null || File.GetUnixFileMode(data).HasFlag(UnixFileMode.StickyBit))
        {
            // Closing a shared folder such as /tmp to others would break the machine.
            return $"Hub__DataDirectory names {data}, a folder shared with others (the root or one with the sticky bit); give the hub a folder of its own";
        }
        var open = accounts ? PassThrough : Private;
        foreach (var (folder, mode) in new[] { (data, open), (homes, open), (servers, Private) })
        {
            Directory.CreateDirectory(folder);
            // Set explicitly: a mode given at creation is narrowed by the umask.
            File.SetUnixFileMode(folder, mode);
        }
        if (!accounts)
        {
            return null;
        }
        for (var parent = Directory.GetParent(data); parent is not null; parent = parent.Parent)
        {
            if (!File.GetUnixFileMode(parent.FullName).HasFlag(UnixFileMode.OtherExecute))
            {
                return $"the folder {parent.FullName}, above the hub's data folder, does not let other users pass (it lacks o+x), so no user's account could reach its home; run chmod o+x on it, or set Hub__DataDirectory to a folder elsewhere";
            }
        }
        return null;
    }
}
