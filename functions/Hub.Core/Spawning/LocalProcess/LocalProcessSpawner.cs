using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Store;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>
/// Runs each server as a Jupyter process on this machine (Linux): on 127.0.0.1 and a free port, under
/// <c>/user/{name}/</c>, with the server's token in <c>JUPYTER_TOKEN</c>, in the user's home under the hub's data folder.
/// The process gets a session of its own and writes its output to a file, so it outlives the control plane: a
/// restarted control plane finds it again through its launch files (see <see cref="LocalServerFiles"/>) and adopts it.
/// The process sees only a minimal environment: nothing of the control plane's settings (storage keys, the hub's
/// secret key) reaches it. When the hub runs as root, each user's servers run as that user's own Unix account
/// (<see cref="UnixAccounts"/>, <see cref="LocalProcessOptions.UserAccounts"/>): the launcher, still root, records the
/// process id and opens the log, then <c>setpriv</c> drops to the account in the same process before Jupyter starts.
/// </summary>
public sealed class LocalProcessSpawner : ISpawner
{
    private const string LauncherScript =
        "printf '%s\\n' \"$$\" > \"$HUB_PID_FILE.tmp\" && mv -f \"$HUB_PID_FILE.tmp\" \"$HUB_PID_FILE\" && exec \"$@\" </dev/null >>\"$HUB_LOG_FILE\" 2>&1";

    private static readonly TimeSpan PidFileTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>How long a process may take to replace its program (exec) before it is judged by what it shows.</summary>
    private static readonly TimeSpan ExecSettleTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Variables passed on from the control plane's environment; everything else is left behind.</summary>
    private static readonly string[] InheritedVariables = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR"];

    private readonly LocalProcessOptions _options;
    private readonly string _data;
    private readonly string _serversRoot;
    private readonly HomeDirectories _homes;
    private readonly UnixAccounts? _accounts;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalProcessSpawner> _logger;

    public LocalProcessSpawner(LocalProcessOptions options, HubOptions hub, TimeProvider time, ILogger<LocalProcessSpawner> logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The local-process spawner needs Linux (it finds its processes through /proc).");
        }
        _options = options;
        _data = Path.GetFullPath(hub.DataDirectory);
        _serversRoot = Path.Combine(_data, "servers");
        _homes = new HomeDirectories(Path.Combine(_data, "homes"), options.TemplateDirectory, logger);
        _accounts = options.UserAccounts && UnixAccounts.ProcessIsRoot ? new UnixAccounts(options.AccountPrefix, logger) : null;
        _time = time;
        _logger = logger;
    }

    public string Kind => "local-process";

    /// <summary>The home folder of a user (created on their first start).</summary>
    public string HomeOf(string user) => _homes.PathOf(user);

    public async Task<SpawnerObservation> StartAsync(SpawnerStart start, CancellationToken cancellationToken)
    {
        var files = FilesOf(start.Key);
        using var launchLock = await files.LockAsync(_time, cancellationToken).ConfigureAwait(false);

        if (await FindRunningAsync(files, cancellationToken).ConfigureAwait(false) is { } running)
        {
            if (running.Launch.TokenHash == SecretHash.Of(start.Token))
            {
                SpawnLog.ProcessAdopted(_logger, running.Pid, SpawnLog.Name(start.Key));
                return RunningAt(running.Launch.Port);
            }
            // Started with another token (an earlier attempt): it cannot be the server of this start.
            await StopProcessAsync(running.Pid, start.Key, cancellationToken).ConfigureAwait(false);
        }

        if (UnixAccounts.ProcessIsRoot && _accounts is null)
        {
            return new SpawnerObservation(SpawnerStatus.Failed, Message: "The hub refuses to run your server as root.",
                Detail: "LocalProcess__UserAccounts is off while the hub runs as root; turn it on or run the hub as an unprivileged user");
        }
        string home;
        UnixAccount? account = null;
        try
        {
            if (DataFolderAccess.Prepare(_data, _homes.Root, _serversRoot, accounts: _accounts is not null) is { } unreachable)
            {
                throw new InvalidOperationException(unreachable);
            }
            if (_accounts is not null)
            {
                account = await _accounts.EnsureAsync(start.Key.User, cancellationToken).ConfigureAwait(false);
            }
            home = await _homes.EnsureAsync(start.Key.User, account, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            return new SpawnerObservation(SpawnerStatus.Failed, Message: "Your server's Unix account or home could not be set up.", Detail: ex.Message);
        }
        int port = FreeLoopbackPort();
        var launch = new LaunchRecord(Guid.NewGuid().ToString("N"), port, SecretHash.Of(start.Token), start.Key.User, start.Key.Server);
        File.Delete(files.PidFile);
        files.WriteLaunch(launch);

        using (var launcher = Process.Start(LauncherInfo(start, launch, files, home, port, account)))
        {
            var deadline = _time.GetUtcNow() + PidFileTimeout;
            int? pid;
            while ((pid = files.ReadPid()) is null && _time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
            }
            if (pid is null)
            {
                return new SpawnerObservation(SpawnerStatus.Failed, Message: "Your server could not be launched.",
                    Detail: $"the launcher wrote no process id within {PidFileTimeout.TotalSeconds:0} s; log: {files.LogTail()}");
            }
            SpawnLog.ProcessLaunched(_logger, SpawnLog.Name(start.Key), pid.Value, port);
        }
        return RunningAt(port);
    }

    public async Task<SpawnerObservation> PollAsync(SpawnerServer server, CancellationToken cancellationToken)
    {
        var files = FilesOf(server.Key);
        if (await FindRunningAsync(files, cancellationToken).ConfigureAwait(false) is { } running)
        {
            return RunningAt(running.Launch.Port);
        }
        if (File.Exists(files.LaunchFile))
        {
            return new SpawnerObservation(SpawnerStatus.Failed,
                Message: "Jupyter exited.",
                Detail: $"the Jupyter process is gone; last lines of {files.LogFile}: {files.LogTail()}");
        }
        return new SpawnerObservation(SpawnerStatus.Absent);
    }

    public async Task<SpawnerObservation> StopAsync(SpawnerServer server, CancellationToken cancellationToken)
    {
        var files = FilesOf(server.Key);
        using var launchLock = await files.LockAsync(_time, cancellationToken).ConfigureAwait(false);
        if (await FindRunningAsync(files, cancellationToken).ConfigureAwait(false) is { } running)
        {
            await StopProcessAsync(running.Pid, server.Key, cancellationToken).ConfigureAwait(false);
        }
        files.Clear();
        return new SpawnerObservation(SpawnerStatus.Absent);
    }

    public async IAsyncEnumerable<SpawnedServer> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_serversRoot))
        {
            yield break;
        }
        foreach (var directory in Directory.EnumerateDirectories(_serversRoot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await FindRunningAsync(new LocalServerFiles(directory), cancellationToken).ConfigureAwait(false) is { } running)
            {
                yield return new SpawnedServer(running.Launch.Key, $"process {running.Pid}", null);
            }
        }
    }

    private LocalServerFiles FilesOf(ServerKey server) => new(Path.Combine(_serversRoot, ResourceNames.ForServer(server)));

    /// <summary>The live process of the launch recorded in <paramref name="files"/>, told from a reused process id by its launch id.</summary>
    private async Task<(LaunchRecord Launch, int Pid)?> FindRunningAsync(LocalServerFiles files, CancellationToken cancellationToken)
    {
        if (files.ReadLaunch() is not { } launch || files.ReadPid() is not int pid)
        {
            return null;
        }
        var deadline = _time.GetUtcNow() + ExecSettleTimeout;
        bool? ours;
        // A process caught in the middle of an exec shows no environment yet; judging it then would take a
        // starting server for a dead one (and adopt nothing, or launch a second one).
        while (UnixProcesses.IsAlive(pid) && (ours = UnixProcesses.HoldsEnvironmentEntry(pid, launch.EnvironmentEntry)) is not false)
        {
            if (ours is true)
            {
                return (launch, pid);
            }
            if (_time.GetUtcNow() >= deadline)
            {
                return null;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private ProcessStartInfo LauncherInfo(SpawnerStart start, LaunchRecord launch, LocalServerFiles files, string home, int port, UnixAccount? account)
    {
        var values = new Dictionary<string, string>
        {
            ["{ip}"] = "127.0.0.1",
            ["{port}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["{base_url}"] = ServerUrls.BasePath(start.Key),
            ["{home}"] = home,
            ["{user}"] = start.Key.User,
            ["{server}"] = start.Key.Server,
        };
        // setsid: a session of its own, so that neither a terminal's Ctrl+C nor the control plane's exit reaches it.
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = home };
        foreach (var argument in (string[])["/bin/sh", "-c", LauncherScript, "jupyter-server", .. AccountSwitch(account)])
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var argument in start.Profile.CommandArguments ?? _options.CommandArguments)
        {
            info.ArgumentList.Add(values.Aggregate(argument, (text, value) => text.Replace(value.Key, value.Value, StringComparison.Ordinal)));
        }

        var environment = info.Environment;
        var inherited = InheritedVariables.Where(name => environment.ContainsKey(name)).ToDictionary(name => name, name => environment[name]);
        environment.Clear();
        foreach (var (name, value) in inherited)
        {
            environment[name] = value;
        }
        foreach (var (name, value) in start.Profile.EnvironmentOrEmpty)
        {
            environment[name] = value;
        }
        environment["HOME"] = home;
        environment["JUPYTER_RUNTIME_DIR"] = RuntimeDirectoryIn(home);
        ServerEnvironment.For(start, $"http://127.0.0.1:{port}").ToList().ForEach(variable => environment[variable.Key] = variable.Value);
        environment[LaunchRecord.EnvironmentName] = launch.LaunchId;
        environment["HUB_PID_FILE"] = files.PidFile;
        environment["HUB_LOG_FILE"] = files.LogFile;
        return info;
    }

    /// <summary>
    /// Jupyter's runtime folder (its own and its kernels' connection files, which hold the keys that sign kernel
    /// messages): in the home, where the account can write and nobody else can read; Jupyter creates it 0700.
    /// </summary>
    private static string RuntimeDirectoryIn(string home) => Path.Combine(home, ".local", "share", "jupyter", "runtime");

    /// <summary>
    /// What goes before the command to run it as <paramref name="account"/>: setpriv replaces itself with the command,
    /// so the process id the launcher recorded stays the server's; no_new_privs keeps set-user-id programs from
    /// raising the account's rights again.
    /// </summary>
    private static string[] AccountSwitch(UnixAccount? account) => account is null
        ? []
        : [UnixAccounts.FindTool("setpriv") ?? "setpriv", $"--reuid={account.Uid}", $"--regid={account.Gid}", "--init-groups", "--no-new-privs", "--"];

    private async Task StopProcessAsync(int pid, ServerKey server, CancellationToken cancellationToken)
    {
        // Politely first, so that Jupyter shuts its kernels down; then by force, kernels included (they run in
        // sessions of their own, so they are found as Jupyter's descendants before it goes).
        var tree = UnixProcesses.Tree(pid);
        UnixProcesses.SignalGroup(pid, UnixProcesses.SignalTerminate);
        string how = "";
        if (!await WaitForExitAsync(tree, StopGracePeriod, cancellationToken).ConfigureAwait(false))
        {
            foreach (int member in tree.Where(UnixProcesses.IsAlive))
            {
                UnixProcesses.Signal(member, UnixProcesses.SignalKill);
            }
            await WaitForExitAsync(tree, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            how = $" (killed after {StopGracePeriod.TotalSeconds:0} s)";
        }
        SpawnLog.ProcessStopped(_logger, pid, SpawnLog.Name(server), how);
    }

    private async Task<bool> WaitForExitAsync(IReadOnlyList<int> processes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (processes.Any(UnixProcesses.IsAlive))
        {
            if (_time.GetUtcNow() >= deadline)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private static SpawnerObservation RunningAt(int port) =>
        new(SpawnerStatus.Running, Target: new Uri($"http://127.0.0.1:{port}/"));

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
