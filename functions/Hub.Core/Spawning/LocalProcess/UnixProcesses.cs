using System.Runtime.InteropServices;
using System.Text;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>The few process operations .NET does not offer: signalling a process group, and telling a process by its environment.</summary>
internal static class UnixProcesses
{
    public const int SignalTerminate = 15;
    public const int SignalKill = 9;

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole project.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="leader"/>.</summary>
    public static bool SignalGroup(int leader, int signal) => leader > 1 && Kill(-leader, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process.</summary>
    public static bool Signal(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    /// <summary>
    /// The process and everything it started, found through /proc parent links (Jupyter starts each kernel in a
    /// session of its own, so the process group alone misses them).
    /// </summary>
    public static IReadOnlyList<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out int pid) && ParentOf(pid) is int parent)
            {
                parents[pid] = parent;
            }
        }
        var tree = new List<int> { root };
        for (int i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }
        return tree;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int parent) ? parent : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Whether the process exists and has not exited (a zombie has).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) S …": the state follows the last ')'.
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z' && stat[close + 2] != 'X';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether the process's environment holds exactly <paramref name="entry"/> (<c>NAME=value</c>); null when it
    /// cannot tell yet: while a process replaces its program (exec), the kernel shows an empty environment until the
    /// new program's is set up, and a launched server execs several times on its way to Jupyter (shell, launcher
    /// script, Python). Every process the spawner launches has a non-empty environment.
    /// </summary>
    public static bool? HoldsEnvironmentEntry(int pid, string entry)
    {
        try
        {
            byte[] environ = File.ReadAllBytes($"/proc/{pid}/environ");
            if (environ.Length == 0)
            {
                return null;
            }
            byte[] wanted = Encoding.UTF8.GetBytes(entry);
            int start = 0;
            for (int i = 0; i <= environ.Length; i++)
            {
                if (i == environ.Length || environ[i] == 0)
                {
                    if (environ.AsSpan(start, i - start).SequenceEqual(wanted))
                    {
                        return true;
                    }
                    start = i + 1;
                }
            }
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
