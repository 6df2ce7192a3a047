using Hub.Core.Users;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>
/// Users' homes under <c>{data}/homes/{slug}/</c>, created on first start (from the course template, if one is set) and
/// never deleted by stop or cull. A new home is assembled aside and moved into place, so a crash mid-copy leaves no
/// half-filled home that would be taken for a complete one. Every home is closed to others (0700); with per-user
/// accounts it belongs to the user's account.
/// </summary>
internal sealed class HomeDirectories(string root, string templateDirectory, ILogger logger)
{
    public string Root => root;

    public string PathOf(string user) => Path.Combine(root, ResourceNames.ForUser(user));

    /// <summary>The user's home, created if missing, owned by <paramref name="account"/> when there is one.</summary>
    /// <exception cref="InvalidOperationException">The home cannot be given to the account (with why).</exception>
    public async Task<string> EnsureAsync(string user, UnixAccount? account, CancellationToken cancellationToken)
    {
        string home = PathOf(user);
        if (Directory.Exists(home))
        {
            await HandOverAsync(home, account, cancellationToken).ConfigureAwait(false);
            return home;
        }
        Directory.CreateDirectory(root);
        string assembling = Path.Combine(root, "." + Path.GetFileName(home) + "." + Guid.NewGuid().ToString("N") + ".new");
        CreatePrivateDirectory(assembling);
        if (templateDirectory.Length > 0)
        {
            CopyTree(templateDirectory, assembling);
        }
        if (account is not null)
        {
            // While still aside, under a folder only the hub may write: nothing the account runs can interfere.
            await UnixAccounts.ChownTreeAsync(assembling, account, cancellationToken).ConfigureAwait(false);
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
            await HandOverAsync(home, account, cancellationToken).ConfigureAwait(false);
        }
        return home;
    }

    /// <summary>
    /// Closes an existing home to others and, with an account, makes sure the account owns it. A home still owned by
    /// root (made before accounts were used) is handed over once, without following symbolic links; a home owned by
    /// someone else is refused rather than taken, since that owner's programs could be changing it meanwhile.
    /// </summary>
    private static async Task HandOverAsync(string home, UnixAccount? account, CancellationToken cancellationToken)
    {
        if (account is not null && OperatingSystem.IsLinux())
        {
            int? owner = await UnixAccounts.OwnerOfAsync(home, cancellationToken).ConfigureAwait(false);
            if (owner == 0)
            {
                await UnixAccounts.ChownTreeAsync(home, account, cancellationToken).ConfigureAwait(false);
            }
            else if (owner != account.Uid)
            {
                throw new InvalidOperationException($"the home {home} belongs to user id {owner?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown)"}, not to the account {account.Name} (uid {account.Uid}); give it to that account (chown -R) or move it away");
            }
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
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
