using System.Globalization;
using Hub.Core.Configuration;
using Hub.Core.Hosting;
using Hub.Core.Spawning;
using Hub.Core.Spawning.LocalProcess;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Core.Tests.Spawning;

/// <summary>
/// What one student's code can reach of another's and of the hub's, probed from inside a real kernel. The tests run
/// as root (here and in CI), so the spawner gives each user an account; the accounts have fixed names and are reused
/// from run to run rather than piling up.
/// </summary>
public sealed class LocalIsolationTests : IAsyncLifetime
{
    private static readonly TimeSpan JupyterStart = TimeSpan.FromSeconds(60);
    private readonly string _data = Directory.CreateTempSubdirectory("hub-iso-").FullName;
    private readonly ReadinessProbe _probe = new(ServerProbeClient.Create());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await LocalServers.StopAllAsync(_data);
        Directory.Delete(_data, recursive: true);
    }

    private LocalProcessSpawner Spawner(LocalProcessOptions? options = null) =>
        new(options ?? new LocalProcessOptions(), new HubOptions { DataDirectory = _data }, TimeProvider.System, NullLogger<LocalProcessSpawner>.Instance);

    private async Task<Uri> StartAsync(LocalProcessSpawner spawner, SpawnerStart start)
    {
        var running = await spawner.StartAsync(start, CancellationToken.None);
        Assert.True(running.Status == SpawnerStatus.Running, running.Detail);
        await Eventually.UntilAsync(() => _probe.IsReadyAsync(running.Target!, start.Key, start.Token, CancellationToken.None), JupyterStart,
            $"Jupyter of {start.Key} to answer", TimeSpan.FromMilliseconds(200));
        return running.Target!;
    }

    private static SpawnerStart Start(string user, string token) => new(new ServerKey(user, ""), null, token, SpawnProfile.BuiltIn, 1);

    [Fact]
    public async Task Kernel_OfOneUser_CannotReadAnothersHomeOrTheHubsFiles()
    {
        var spawner = Spawner();
        HubSecretKey.Load(new HubOptions { DataDirectory = _data });
        var victim = Start("iso-victim", "victim-token");
        var mallory = Start("iso-mallory", "mallory-token");
        var victimTarget = await StartAsync(spawner, victim);
        var malloryTarget = await StartAsync(spawner, mallory);
        Assert.Equal("'written'", await KernelSession.ExecuteAsync(victimTarget, "/user/iso-victim/", "victim-token",
            "open('notes.txt', 'w').write('only mine') and 'written'", JupyterStart));
        string victimHome = spawner.HomeOf("iso-victim");
        string victimLog = Path.Combine(_data, "servers", ResourceNames.ForServer(victim.Key), "jupyter.log");
        int victimPid = LocalServers.PidOf(_data, victim.Key);

        string probes = string.Join(", ", new[]
        {
            $"os.listdir({Py(victimHome)})",
            $"open({Py(Path.Combine(victimHome, "notes.txt"))}).read()",
            $"open({Py(Path.Combine(_data, HubSecretKey.FileName))}).read()",
            $"os.listdir({Py(_data)})",
            $"os.listdir({Py(Path.Combine(_data, "homes"))})",
            $"os.listdir({Py(Path.Combine(_data, "servers"))})",
            $"open({Py(victimLog)}).read()",
            $"open('/proc/{victimPid}/environ').read()",
            "open('mine.txt', 'w').write('x')",
        }.Select(expression => $"probe(lambda: {expression})"));
        string code = $$"""
            import os
            def probe(action):
                try:
                    action()
                    return 'allowed'
                except PermissionError:
                    return 'denied'
                except Exception as error:
                    return type(error).__name__
            ' '.join([{{probes}}, str(os.getuid() != 0)])
            """;

        string result = await KernelSession.ExecuteAsync(malloryTarget, "/user/iso-mallory/", "mallory-token", code, JupyterStart);

        if (!UnixAccounts.ProcessIsRoot)
        {
            // A hub run by an ordinary user runs every server as itself: not isolated (docs/security.md says so).
            Assert.Equal(Convert.ToString(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, CultureInfo.InvariantCulture),
                Convert.ToString(File.GetUnixFileMode(victimHome), CultureInfo.InvariantCulture));
            return;
        }
        Assert.Equal("'denied denied denied denied denied denied denied denied allowed True'", result);
        Assert.DoesNotContain("victim-token", File.ReadAllText($"/proc/{victimPid}/cmdline"), StringComparison.Ordinal);
        Assert.NotEqual(UidOf(victimPid), UidOf(LocalServers.PidOf(_data, mallory.Key)));
    }

    [Fact]
    public async Task Start_AsRootWithoutAccounts_IsRefusedWithTheReason()
    {
        var observation = await Spawner(new LocalProcessOptions { UserAccounts = false }).StartAsync(Start("iso-root", "t"), CancellationToken.None);

        if (UnixAccounts.ProcessIsRoot)
        {
            Assert.Equal(SpawnerStatus.Failed, observation.Status);
            Assert.Contains("LocalProcess__UserAccounts", observation.Detail, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Spawner().HomeOf("iso-root")));
        }
        else
        {
            Assert.Equal(SpawnerStatus.Running, observation.Status);
        }
    }

    [Fact]
    public void Settings_AsRootWithoutAccounts_AreAProblemAtStartup()
    {
        var problems = new LocalProcessOptions { UserAccounts = false }.ProblemsWhenUsed().ToList();

        Assert.Equal(UnixAccounts.ProcessIsRoot, problems.Any(p => p.Key == "LocalProcess__UserAccounts" && p.Problem.Contains("root", StringComparison.Ordinal)));
        Assert.Empty(new LocalProcessOptions().ProblemsWhenUsed());
    }

    [Fact]
    public void DataFolder_SharedWithOthers_IsRefusedNotClosed()
    {
        string shared = Directory.CreateDirectory(Path.Combine(_data, "shared")).FullName;
        var open = (UnixFileMode)Convert.ToInt32("1777", 8);
        File.SetUnixFileMode(shared, open);

        string? problem = DataFolderAccess.Prepare(shared, Path.Combine(shared, "homes"), Path.Combine(shared, "servers"), accounts: true);

        Assert.Contains("Hub__DataDirectory", problem, StringComparison.Ordinal);
        Assert.Equal(open, File.GetUnixFileMode(shared));
        Assert.False(Directory.Exists(Path.Combine(shared, "homes")));
    }

    [Fact]
    public void DataFolder_WithAccounts_OthersMayPassButNotList()
    {
        string homes = Path.Combine(_data, "homes"), servers = Path.Combine(_data, "servers");

        string? problem = DataFolderAccess.Prepare(_data, homes, servers, accounts: true);

        Assert.Null(problem);
        Assert.Equal(["711", "711", "700"], new[] { _data, homes, servers }.Select(f => Convert.ToString((int)File.GetUnixFileMode(f), 8)));
    }

    [Theory]
    [InlineData("Hub-")]
    [InlineData("1hub")]
    [InlineData("hub:x")]
    [InlineData("a-prefix-far-too-long")]
    [InlineData("")]
    public void Settings_BadAccountPrefix_IsNamed(string prefix)
    {
        var problems = new SettingsProblems();

        new LocalProcessOptions { AccountPrefix = prefix }.Validate(problems);

        Assert.Contains(problems.Messages, m => m.StartsWith("LocalProcess__AccountPrefix ", StringComparison.Ordinal));
    }

    private static string Py(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string UidOf(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal));
}
