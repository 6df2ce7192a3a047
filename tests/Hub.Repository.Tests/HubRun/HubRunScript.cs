using System.Globalization;
using System.Reflection;
using Hub.Testing;
using Hub.Testing.Spawning;

namespace Hub.Repository.Tests.HubRun;

/// <summary>
/// The repository's real <c>./hub run</c>, started in a session of its own (so that its process group can be
/// signalled as a terminal's Ctrl+C would, and killed whole), on free ports, with its data in a temporary folder.
/// Disposing kills whatever is left: the script's process group, the Jupyter servers it started (they run in sessions
/// of their own), and deletes the data.
/// </summary>
public sealed class HubRunScript : IAsyncDisposable
{
    /// <summary>What the script prints once the hub answers through the gateway.</summary>
    private const string RunningLine = @"Serverless Hub is running: (http://\S+/hub/)";

    private readonly ChildProcess _process;

    private HubRunScript(ChildProcess process, HubRunPorts ports, string dataDirectory)
    {
        _process = process;
        Ports = ports;
        DataDirectory = dataDirectory;
    }

    public HubRunPorts Ports { get; }

    /// <summary>HUB_DATA_DIR: Azurite's data, the apps' state, the users' homes and servers.</summary>
    public string DataDirectory { get; }

    /// <summary>The script's process id; also its process group's and session's (setsid made it their leader).</summary>
    public int ProcessGroup => _process.Id;

    public string Output => _process.Output;

    /// <summary>The configuration the tests were built in: the script builds the same, so its build has nothing to do.</summary>
    public static string Configuration =>
        typeof(HubRunScript).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>Starts the script; once this returns, disposing the result cleans up after it whatever happens.</summary>
    /// <param name="settings">App settings (as environment variables) on top of those the tests rely on.</param>
    public static async Task<HubRunScript> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var ports = HubRunPorts.Pick();
        string data = Directory.CreateTempSubdirectory("hub-run-").FullName;
        var environment = Environment(ports, data);
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }
        var process = ChildProcess.Start("setsid", ["bash", RepositoryPaths.InRoot("hub"), "run"], RepositoryPaths.Root, environment);
        var script = new HubRunScript(process, ports, data);
        try
        {
            // setsid makes the process a session and group leader before it execs bash. (Had it forked instead, as it
            // does when started as a group leader, signals to the group would miss the script.)
            await Eventually.UntilAsync(() => GroupOf(process.Id) == process.Id || process.HasExited, TimeSpan.FromSeconds(10),
                $"./hub run (process {process.Id}) to lead a process group of its own");
            return script;
        }
        catch
        {
            await script.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the line with the hub's URL; returns the URL.</summary>
    public async Task<Uri> WaitUntilRunningAsync(TimeSpan timeout) =>
        new((await _process.WaitForLineAsync(RunningLine, timeout)).Groups[1].Value);

    /// <summary>
    /// Ctrl+C as a terminal sends it: SIGINT to the foreground process group, the script and everything it started
    /// there (the Jupyter servers run in sessions of their own and get nothing).
    /// </summary>
    public void Interrupt()
    {
        if (!UnixSignals.SendToGroup(ProcessGroup, UnixSignals.Interrupt))
        {
            throw new InvalidOperationException("./hub run was gone before Ctrl+C. Output:\n" + Output);
        }
    }

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>
    /// The environment of a developer's shell: the ports and data folder of this run, the settings the test relies on
    /// (a local.settings.json in the checkout must not change them), and none of the variables that MSBuild and the
    /// test platform set for their own child processes: they name the SDK that ran the tests, and the script's
    /// <c>dotnet build</c> would take them as its own instead of finding its SDK as a developer's shell does.
    /// </summary>
    private static Dictionary<string, string?> Environment(HubRunPorts ports, string data)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HUB_DATA_DIR"] = data,
            ["HUB_AZURITE_PORT"] = ports.AzuriteBlob.ToString(CultureInfo.InvariantCulture),
            ["HUB_CONFIGURATION"] = Configuration,
            ["ControlPlane__ListenUrl"] = $"http://127.0.0.1:{ports.ControlPlane}",
            ["Gateway__ListenUrl"] = $"http://127.0.0.1:{ports.Gateway}",
            ["Hub__Mode"] = "local",
            ["Storage__ConnectionString"] = "UseDevelopmentStorage=true",
            ["Storage__TableEndpoint"] = "",
            ["Auth__Authenticator"] = "dummy",
            ["Auth__SharedPassword"] = "",
            ["Auth__AllowedUsers"] = "",
            ["Spawner__Kind"] = "local-process",
        };
        foreach (string name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("_MSBuild", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("VSTEST_", StringComparison.Ordinal) || name == "DOTNET_HOST_PATH")
            {
                environment[name] = null;
            }
        }
        return environment;
    }

    private static int? GroupOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        UnixSignals.SendToGroup(ProcessGroup, UnixSignals.Kill);
        try
        {
            await LocalServers.StopAllAsync(DataDirectory);
        }
        catch (TimeoutException)
        {
            // Nothing more a test can do; the test itself reports what it found left.
        }
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temp folder is cleaned by the OS eventually.
        }
    }
}
