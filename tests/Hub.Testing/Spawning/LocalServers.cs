using System.Globalization;
using System.Text.Json;
using Hub.Core.Store;

namespace Hub.Testing.Spawning;

/// <summary>Looks at local Jupyter processes from outside (through their launch files and /proc), and cleans up after tests.</summary>
public static class LocalServers
{
    public static int PidOf(string data, ServerKey server) =>
        int.Parse(File.ReadAllText(Path.Combine(data, "servers", Hub.Core.Spawning.ResourceNames.ForServer(server), "pid")).Trim(), CultureInfo.InvariantCulture);

    public static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether the process is alive and runs the program named <paramref name="command"/> (its /proc comm).</summary>
    public static bool IsRunning(int pid, string command)
    {
        try
        {
            return IsAlive(pid) && File.ReadAllText($"/proc/{pid}/comm").Trim() == command;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The process's environment, one variable a line. A process in the middle of an exec (a launched server execs
    /// from the shell to Jupyter) shows an empty one for a moment, so an empty answer is read again; a gone process
    /// gives "".
    /// </summary>
    public static async Task<string> EnvironmentOfAsync(int pid)
    {
        string environ = "";
        try
        {
            await Eventually.UntilAsync(() => (environ = ReadEnvironment(pid)).Length > 0 || !IsAlive(pid), TimeSpan.FromSeconds(5),
                $"process {pid} to show its environment", TimeSpan.FromMilliseconds(5));
        }
        catch (TimeoutException)
        {
            // Still empty: a process that really has no environment, so not one of ours.
        }
        return environ;
    }

    private static string ReadEnvironment(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Replace('\0', '\n');
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The live process and its live descendants (Jupyter and its kernels, which run in sessions of their own).</summary>
    public static IReadOnlyList<int> Tree(int root)
    {
        var parents = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out int pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: ParentOf(pid)))
            .ToList();
        var tree = new List<int> { root };
        for (int i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Parent == tree[i]).Select(p => p.Pid));
        }
        return tree.Where(IsAlive).ToList();
    }

    /// <summary>
    /// Live processes with <paramref name="argument"/> on their command line that run in a home under
    /// <paramref name="data"/> (other test runs on the machine start servers with the same names).
    /// </summary>
    public static int CountProcessesWithArgument(string data, string argument) =>
        ProcessesUnder(data).Count(pid => CommandLine(pid).Split(' ').Contains(argument));

    /// <summary>Jupyter processes serving <paramref name="basePath"/> from a home under <paramref name="data"/>.</summary>
    public static int CountJupyterProcesses(string data, string basePath) => JupyterProcesses(data, basePath).Count;

    /// <summary>The ids of the Jupyter processes serving <paramref name="basePath"/> from a home under <paramref name="data"/>.</summary>
    public static IReadOnlyList<int> JupyterProcesses(string data, string basePath) =>
        [.. ProcessesUnder(data).Where(pid => CommandLine(pid).Contains("base_url=" + basePath, StringComparison.Ordinal))];

    /// <summary>Live processes whose working folder (a server's home, which exec does not change) is under <paramref name="data"/>.</summary>
    private static IEnumerable<int> ProcessesUnder(string data)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(data)) + Path.DirectorySeparatorChar;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out int pid) && IsAlive(pid) && WorkingDirectoryOf(pid) is { } cwd
                && (cwd + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    private static string? WorkingDirectoryOf(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stops every server a test left under <paramref name="data"/> (its whole process group).</summary>
    public static async Task StopAllAsync(string data)
    {
        string servers = Path.Combine(data, "servers");
        if (!Directory.Exists(servers))
        {
            return;
        }
        var killed = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories(servers))
        {
            string pidFile = Path.Combine(directory, "pid"), launchFile = Path.Combine(directory, "launch.json");
            if (!File.Exists(pidFile) || !File.Exists(launchFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid) || !IsAlive(pid))
            {
                continue;
            }
            using var launch = JsonDocument.Parse(File.ReadAllText(launchFile));
            if (!(await EnvironmentOfAsync(pid)).Contains("HUB_LAUNCH_ID=" + launch.RootElement.GetProperty("LaunchId").GetString(), StringComparison.Ordinal))
            {
                continue; // a reused process id: not ours
            }
            foreach (var member in Tree(pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(member).Kill();
                    killed.Add(member);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                }
            }
        }
        await Eventually.UntilAsync(() => killed.All(pid => !IsAlive(pid)), TimeSpan.FromSeconds(10), "left-over servers to stop");
    }

    private static int ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
