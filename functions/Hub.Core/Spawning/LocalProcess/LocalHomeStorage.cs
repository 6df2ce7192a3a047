using System.Diagnostics;
using Hub.Core.Usage;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>
/// The size of a local home folder: the lengths of its files, links not followed (a link to <c>/</c> must not count
/// the machine), folders it may not read skipped. Local homes have no quota. Adding up stops after
/// <see cref="TimeLimit"/>; the sum so far is returned as incomplete (a lower bound) instead of holding the cull run.
/// </summary>
public sealed class LocalHomeStorage(Func<string, string> homeOf, TimeProvider time) : IHomeStorage
{
    /// <summary>The longest one home is walked.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    public LocalHomeStorage(LocalProcessSpawner spawner)
        : this(spawner.HomeOf, TimeProvider.System)
    {
    }

    public Task<HomeStorageUse?> UseOfAsync(string user, CancellationToken cancellationToken)
    {
        var home = new DirectoryInfo(homeOf(user));
        if (!home.Exists || home.LinkTarget is not null)
        {
            return Task.FromResult<HomeStorageUse?>(null);
        }
        return Task.Run(() => (HomeStorageUse?)Measure(home, cancellationToken), cancellationToken);
    }

    private HomeStorageUse Measure(DirectoryInfo home, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        long bytes = 0;
        int files = 0;
        foreach (var file in home.EnumerateFiles("*", options))
        {
            bytes += file.Length;
            // The clock is read every few hundred files: cheap enough, and a walk never overshoots by much.
            if (++files % 256 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (time.GetElapsedTime(started) > TimeLimit)
                {
                    return new HomeStorageUse(bytes, null) { Complete = false };
                }
            }
        }
        return new HomeStorageUse(bytes, null);
    }
}
