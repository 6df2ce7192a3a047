using System.Globalization;
using System.Text.Json;
using Hub.Core.Store;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>
/// A local server's files under <c>{data}/servers/{slug}/</c>: <c>launch.json</c> (written before the process starts:
/// its launch id, port, owner and a hash of its token), <c>pid</c> (written by the process itself, before it becomes
/// Jupyter), <c>jupyter.log</c>, and a lock file that keeps two launches apart. Together they
/// let any later control plane find the process again, and tell it from an unrelated process with a reused id.
/// </summary>
internal sealed class LocalServerFiles(string directory)
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public string Directory { get; } = directory;

    public string LaunchFile => Path.Combine(Directory, "launch.json");

    public string PidFile => Path.Combine(Directory, "pid");

    public string LogFile => Path.Combine(Directory, "jupyter.log");

    /// <summary>Takes the server's launch lock (an exclusive file lock, so it also holds against another process).</summary>
    public async Task<IDisposable> LockAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var deadline = time.GetUtcNow() + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(Directory, "launch.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public LaunchRecord? ReadLaunch()
    {
        try
        {
            return JsonSerializer.Deserialize<LaunchRecord>(File.ReadAllText(LaunchFile));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void WriteLaunch(LaunchRecord launch)
    {
        string temporary = LaunchFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(launch));
        File.Move(temporary, LaunchFile, overwrite: true);
    }

    public int? ReadPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Forgets the launch (the home folder is elsewhere and stays).</summary>
    public void Clear()
    {
        File.Delete(LaunchFile);
        File.Delete(PidFile);
    }

    /// <summary>The last lines of Jupyter's log, cut to a length fit for a log message.</summary>
    public string LogTail(int lines = 5, int maxLength = 600)
    {
        try
        {
            var tail = string.Join(" | ", File.ReadLines(LogFile).TakeLast(lines).Select(l => l.Trim()));
            return tail.Length <= maxLength ? tail : "…" + tail[^maxLength..];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "(no log)";
        }
    }
}

/// <summary>What <c>launch.json</c> holds.</summary>
/// <param name="LaunchId">A random id put in the process's environment: how the process is recognised later.</param>
/// <param name="Port">The port on 127.0.0.1 Jupyter listens on.</param>
/// <param name="TokenHash">SHA-256 of the token the process was started with (to notice a stale token).</param>
internal sealed record LaunchRecord(string LaunchId, int Port, string TokenHash, string User, string Server)
{
    public ServerKey Key => new(User, Server);

    public const string EnvironmentName = "HUB_LAUNCH_ID";

    public string EnvironmentEntry => EnvironmentName + "=" + LaunchId;
}
