using Hub.Core.Usage;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>The size of a local home folder (files only, links not followed); local homes have no quota.</summary>
public sealed class LocalHomeStorage(LocalProcessSpawner spawner) : IHomeStorage
{
    public Task<HomeStorageUse?> UseOfAsync(string user, CancellationToken cancellationToken)
    {
        var home = new DirectoryInfo(spawner.HomeOf(user));
        if (!home.Exists)
        {
            return Task.FromResult<HomeStorageUse?>(null);
        }
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        long bytes = 0;
        foreach (var file in home.EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            bytes += file.Length;
        }
        return Task.FromResult<HomeStorageUse?>(new HomeStorageUse(bytes, null));
    }
}
