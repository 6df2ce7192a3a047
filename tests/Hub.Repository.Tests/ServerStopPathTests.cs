using System.Text.RegularExpressions;
using Hub.Testing;

namespace Hub.Repository.Tests;

/// <summary>
/// Stopping a server always goes through <c>IServerLifecycle</c> (the culler, quotas, blocked users, logout, the REST
/// API): only the spawning core records a stop, removes a route or asks a spawner to remove a server. A caller that
/// wrote the record or called the spawner itself would skip the lifecycle's bookkeeping (the spawn board, the change
/// signal, usage, the order route-then-compute), so these checks read the apps' sources for such writes.
/// </summary>
public sealed partial class ServerStopPathTests
{
    /// <summary>Where a stop may be carried out: the lifecycle, the reconcile loop and its sweep.</summary>
    private static readonly string SpawningCore = Path.Combine("functions", "Hub.Core", "Spawning") + Path.DirectorySeparatorChar;

    [GeneratedRegex(@"Desired\s*=\s*ServerDesiredState\.Stopped|[^=!<>]=\s*ServerPhase\.(Stopping|Stopped|Failed)\b|\bRoutes\.DeleteAsync\(")]
    private static partial Regex StopWrite();

    [GeneratedRegex(@"\bISpawner\b")]
    private static partial Regex MentionsSpawner();

    [GeneratedRegex(@"[:,]\s*ISpawner\b")]
    private static partial Regex ImplementsSpawner();

    [GeneratedRegex(@"\.StopAsync\(")]
    private static partial Regex CallsStop();

    private static IEnumerable<(string Path, string Text)> AppSources() =>
        new[] { "functions", "gateway" }
            .SelectMany(folder => Directory.EnumerateFiles(RepositoryPaths.InRoot(folder), "*.cs", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(RepositoryPaths.Root, path))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(path => (path, File.ReadAllText(RepositoryPaths.InRoot(path))));

    [Fact]
    public void OutsideTheSpawningCore_NothingRecordsAStopOrRemovesARoute()
    {
        var sources = AppSources().ToList();

        var offenders = sources
            .Where(source => !source.Path.StartsWith(SpawningCore, StringComparison.Ordinal))
            .SelectMany(source => StopWrite().Matches(source.Text).Select(match => $"{source.Path}: {match.Value.Trim()}"))
            .ToList();

        // The patterns do find the core's own stop writes, so an empty list means something.
        Assert.Contains(sources, source => source.Path.StartsWith(SpawningCore, StringComparison.Ordinal) && StopWrite().IsMatch(source.Text));
        Assert.True(offenders.Count == 0, "Stop servers through IServerLifecycle instead of writing the record or route:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void OutsideTheSpawningCore_OnlySpawnersThemselvesStopWhatASpawnerRuns()
    {
        var offenders = AppSources()
            .Where(source => !source.Path.StartsWith(SpawningCore, StringComparison.Ordinal))
            .Where(source => MentionsSpawner().IsMatch(source.Text) && !ImplementsSpawner().IsMatch(source.Text) && CallsStop().IsMatch(source.Text))
            .Select(source => source.Path)
            .ToList();

        Assert.True(offenders.Count == 0, "Stop servers through IServerLifecycle instead of calling the spawner:\n" + string.Join("\n", offenders));
    }
}
