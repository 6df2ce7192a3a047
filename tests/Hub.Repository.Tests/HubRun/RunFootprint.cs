using System.Globalization;
using Hub.Testing.Spawning;

namespace Hub.Repository.Tests.HubRun;

/// <summary>
/// Every process a <c>./hub run</c> has going and every TCP port they listen on, taken from /proc while it runs:
/// the members of the script's process group (the script, Azurite, both apps), and each Jupyter server it launched
/// with everything under it (servers and kernels run in sessions of their own, so the group alone misses them).
/// </summary>
public sealed record RunFootprint(IReadOnlyList<ProcfsProcess> Processes, IReadOnlyList<int> ListeningPorts)
{
    public static RunFootprint Take(int processGroup, string dataDirectory)
    {
        var all = ProcfsProcess.All();
        var members = all.Where(p => p.Group == processGroup).ToList();
        foreach (int server in ServerProcesses(dataDirectory))
        {
            members.AddRange(LocalServers.Tree(server).Select(pid => all.FirstOrDefault(p => p.Id == pid)).OfType<ProcfsProcess>());
        }
        members = members.DistinctBy(p => p.Id).ToList();
        return new RunFootprint(members, ListeningPortsOf(members));
    }

    /// <summary>The Jupyter servers recorded under the data folder (each server's launcher writes its process id there).</summary>
    public static IEnumerable<int> ServerProcesses(string dataDirectory)
    {
        string servers = Path.Combine(dataDirectory, "servers");
        return Directory.Exists(servers)
            ? Directory.EnumerateFiles(servers, "pid", SearchOption.AllDirectories)
                .Select(file => int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out int pid) ? pid : 0)
                .Where(pid => pid > 0)
            : [];
    }

    /// <summary>The processes of the footprint that still run (the same process: same id and start time).</summary>
    public IReadOnlyList<ProcfsProcess> StillRunning()
    {
        var now = ProcfsProcess.All();
        return Processes.Where(p => now.Any(n => n.Id == p.Id && n.StartTime == p.StartTime)).ToList();
    }

    /// <summary>Ports in LISTEN state (/proc/net/tcp and tcp6) whose socket one of <paramref name="processes"/> holds.</summary>
    private static List<int> ListeningPortsOf(IEnumerable<ProcfsProcess> processes)
    {
        var sockets = processes.SelectMany(p => p.SocketInodes()).ToHashSet();
        var ports = new List<int>();
        foreach (string table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A" && sockets.Contains(fields[9]))
                {
                    ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        return ports.Distinct().Order().ToList();
    }

    public override string ToString() =>
        string.Join("\n", Processes.Select(p => p.ToString())) + "\nlistening on: " + string.Join(", ", ListeningPorts);
}
