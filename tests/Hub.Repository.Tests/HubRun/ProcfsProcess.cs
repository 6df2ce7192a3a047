using System.Globalization;

namespace Hub.Repository.Tests.HubRun;

/// <summary>
/// A live process as /proc shows it. The start time tells it from a later process that got the same id; a zombie
/// (exited, waiting for its parent to collect it) counts as gone.
/// </summary>
public sealed record ProcfsProcess(int Id, int Group, long StartTime, string CommandLine, string? WorkingDirectory)
{
    public static IReadOnlyList<ProcfsProcess> All()
    {
        var processes = new List<ProcfsProcess>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out int pid) && Read(pid) is { } process)
            {
                processes.Add(process);
            }
        }
        return processes;
    }

    public static ProcfsProcess? Read(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid pgrp session … starttime(22nd field) …": the fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] is "Z" or "X")
            {
                return null;
            }
            string commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            string? cwd = null;
            try
            {
                cwd = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
            }
            catch (UnauthorizedAccessException)
            {
            }
            return new ProcfsProcess(pid, int.Parse(fields[2], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture), commandLine, cwd);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the process runs in, or names, a path under <paramref name="directory"/>.</summary>
    public bool Touches(string directory)
    {
        string root = Path.TrimEndingDirectorySeparator(directory) + "/";
        return CommandLine.Contains(root, StringComparison.Ordinal) || (WorkingDirectory + "/").StartsWith(root, StringComparison.Ordinal);
    }

    /// <summary>The inodes of the sockets the process holds open (as /proc/net/tcp names them).</summary>
    public IEnumerable<string> SocketInodes()
    {
        var inodes = new List<string>();
        try
        {
            foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{Id}/fd"))
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile: it listens on nothing.
        }
        return inodes;
    }

    public override string ToString() => $"{Id} (group {Group}): {CommandLine}";
}
