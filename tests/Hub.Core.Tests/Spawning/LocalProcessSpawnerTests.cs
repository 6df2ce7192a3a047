using System.Net;
using System.Net.Http.Headers;
using Hub.Core.Hosting;
using Hub.Core.Spawning;
using Hub.Core.Spawning.LocalProcess;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Core.Tests.Spawning;

/// <summary>The local spawner with real Jupyter processes (Debian's jupyter-notebook).</summary>
public sealed class LocalProcessSpawnerTests : IAsyncLifetime
{
    private static readonly TimeSpan JupyterStart = TimeSpan.FromSeconds(60);
    private readonly string _data = Directory.CreateTempSubdirectory("hub-local-").FullName;
    private readonly ReadinessProbe _probe = new(ServerProbeClient.Create());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await LocalServers.StopAllAsync(_data);
        Directory.Delete(_data, recursive: true);
    }

    private LocalProcessSpawner Spawner(LocalProcessOptions? options = null) =>
        new(options ?? new LocalProcessOptions(), new HubOptions { DataDirectory = _data }, TimeProvider.System, NullLogger<LocalProcessSpawner>.Instance);

    private static SpawnerStart Start(string user, string token = "local-token", string server = "") =>
        new(new ServerKey(user, server), null, token, SpawnProfile.BuiltIn, 1);

    private async Task WaitUntilAnsweringAsync(SpawnerObservation running, SpawnerStart start) =>
        await Eventually.UntilAsync(() => _probe.IsReadyAsync(running.Target!, start.Key, start.Token, CancellationToken.None), JupyterStart,
            $"Jupyter of {start.Key} to answer", TimeSpan.FromMilliseconds(200));

    [Fact]
    public async Task Start_RealJupyter_AnswersItsStatusOnlyWithTheToken()
    {
        var spawner = Spawner();
        var start = Start("alice@example.org", token: "tok-alice");

        var running = await spawner.StartAsync(start, CancellationToken.None);
        await WaitUntilAnsweringAsync(running, start);

        Assert.Equal(SpawnerStatus.Running, running.Status);
        Assert.Equal("127.0.0.1", running.Target!.Host);
        using var client = new HttpClient();
        var status = new Uri(running.Target, "/user/alice@example.org/api/status");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(status)).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, status) { Headers = { Authorization = new AuthenticationHeaderValue("token", "other") } };
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(wrong)).StatusCode);
        Assert.True(Directory.Exists(spawner.HomeOf("alice@example.org")));
        Assert.StartsWith(Path.Combine(_data, "homes"), spawner.HomeOf("alice@example.org"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SecondSpawnerInstance_AdoptsTheRunningProcess()
    {
        var start = Start("bob");
        var first = await Spawner().StartAsync(start, CancellationToken.None);
        await WaitUntilAnsweringAsync(first, start);
        int pid = LocalServers.PidOf(_data, start.Key);

        // As after a control-plane restart: a new spawner, the same data folder.
        var again = await Spawner().StartAsync(start, CancellationToken.None);

        Assert.Equal(first.Target, again.Target);
        Assert.Equal(pid, LocalServers.PidOf(_data, start.Key));
        Assert.Equal(1, LocalServers.CountJupyterProcesses(_data, "/user/bob/"));
    }

    [Fact]
    public async Task Start_WithAnotherToken_ReplacesTheProcess()
    {
        var spawner = Spawner();
        var first = await spawner.StartAsync(Start("carol", token: "old"), CancellationToken.None);
        int oldPid = LocalServers.PidOf(_data, new ServerKey("carol", ""));

        var second = await spawner.StartAsync(Start("carol", token: "new"), CancellationToken.None);
        await WaitUntilAnsweringAsync(second, Start("carol", token: "new"));

        Assert.NotEqual(oldPid, LocalServers.PidOf(_data, new ServerKey("carol", "")));
        Assert.False(LocalServers.IsAlive(oldPid));
        Assert.Equal(1, LocalServers.CountJupyterProcesses(_data, "/user/carol/"));
        _ = first;
    }

    [Fact]
    public async Task Stop_RunningServerWithKernel_EndsJupyterAndKernelKeepsHome()
    {
        var spawner = Spawner();
        var start = Start("dave");
        var running = await spawner.StartAsync(start, CancellationToken.None);
        await WaitUntilAnsweringAsync(running, start);
        await File.WriteAllTextAsync(Path.Combine(spawner.HomeOf("dave"), "notes.txt"), "keep me");
        using var client = new HttpClient();
        using var startKernel = new HttpRequestMessage(HttpMethod.Post, new Uri(running.Target!, "/user/dave/api/kernels"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("token", start.Token) },
            Content = new StringContent("{}"),
        };
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(startKernel)).StatusCode);
        int pid = LocalServers.PidOf(_data, start.Key);
        await Eventually.UntilAsync(() => LocalServers.Tree(pid).Count >= 2, TimeSpan.FromSeconds(30), "the kernel process to run");
        var group = LocalServers.Tree(pid);

        var stopped = await spawner.StopAsync(start, CancellationToken.None);
        var polled = await spawner.PollAsync(start, CancellationToken.None);

        Assert.Equal(SpawnerStatus.Absent, stopped.Status);
        Assert.Equal(SpawnerStatus.Absent, polled.Status);
        Assert.All(group, member => Assert.False(LocalServers.IsAlive(member), $"process {member} still runs"));
        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Combine(spawner.HomeOf("dave"), "notes.txt")));
    }

    [Fact]
    public async Task Start_TemplateConfigured_CopiedIntoANewHomeOnce()
    {
        string template = Path.Combine(_data, "template");
        Directory.CreateDirectory(Path.Combine(template, "week1"));
        await File.WriteAllTextAsync(Path.Combine(template, "week1", "intro.ipynb"), "{}");
        var spawner = Spawner(new LocalProcessOptions { TemplateDirectory = template });
        var start = Start("erin");

        await spawner.StartAsync(start, CancellationToken.None);
        string copy = Path.Combine(spawner.HomeOf("erin"), "week1", "intro.ipynb");
        bool copied = File.Exists(copy);
        await File.WriteAllTextAsync(copy, "my answers");
        await spawner.StopAsync(start, CancellationToken.None);
        await spawner.StartAsync(start, CancellationToken.None);

        Assert.True(copied);
        Assert.Equal("my answers", await File.ReadAllTextAsync(copy));
    }

    [Fact]
    public async Task Start_ControlPlaneEnvironment_DoesNotReachTheServer()
    {
        Environment.SetEnvironmentVariable("HUB_TEST_CONTROL_PLANE_SECRET", "must-not-leak");
        try
        {
            var start = Start("fay", token: "fay-token");
            await Spawner().StartAsync(start, CancellationToken.None);
            string environ = await LocalServers.EnvironmentOfAsync(LocalServers.PidOf(_data, start.Key));

            Assert.DoesNotContain("must-not-leak", environ, StringComparison.Ordinal);
            Assert.Contains("JUPYTER_TOKEN=fay-token", environ, StringComparison.Ordinal);
            Assert.Contains("JUPYTERHUB_USER=fay", environ, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HUB_TEST_CONTROL_PLANE_SECRET", null);
        }
    }

    [Fact]
    public async Task Poll_CommandExited_IsFailedWithTheLogTail()
    {
        var spawner = Spawner(new LocalProcessOptions { Command = "ls /no-such-folder-{port}{base_url}" });
        var start = Start("gina");

        await spawner.StartAsync(start, CancellationToken.None);
        SpawnerObservation seen = new(SpawnerStatus.Running);
        await Eventually.UntilAsync(async () => (seen = await spawner.PollAsync(start, CancellationToken.None)).Status != SpawnerStatus.Running,
            TimeSpan.FromSeconds(10), "the command to exit");

        Assert.Equal(SpawnerStatus.Failed, seen.Status);
        Assert.Contains("No such file or directory", seen.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_WhileTheProcessReplacesItsProgram_StaysRunning()
    {
        // A launched server execs on its way to Jupyter (shell, launcher script, Python); mid-exec the kernel shows
        // an empty environment. This server execs five hundred times, then settles on sleep.
        string script = Path.Combine(_data, "reexec.sh");
        await File.WriteAllTextAsync(script, "n=$1\nif [ \"$n\" -gt 0 ]; then exec /bin/sh \"$0\" $((n - 1)) \"$2\"; fi\nexec sleep 120\n");
        var spawner = Spawner(new LocalProcessOptions { Command = $"/bin/sh {script} 500 {{port}}{{base_url}}" });
        var start = Start("ivan");
        await spawner.StartAsync(start, CancellationToken.None);
        int pid = LocalServers.PidOf(_data, start.Key);

        var seen = new List<SpawnerStatus>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!LocalServers.IsRunning(pid, "sleep") && LocalServers.IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            seen.Add((await spawner.PollAsync(start, CancellationToken.None)).Status);
        }

        Assert.True(LocalServers.IsRunning(pid, "sleep"), "the exec chain did not reach sleep within 60 s");
        Assert.NotEmpty(seen);
        Assert.All(seen, status => Assert.Equal(SpawnerStatus.Running, status));
    }

    [Fact]
    public async Task List_RunningServers_ReportsEachWithItsOwner()
    {
        var spawner = Spawner();
        await spawner.StartAsync(Start("hank"), CancellationToken.None);
        await spawner.StartAsync(Start("hank", server: "project"), CancellationToken.None);

        var listed = new List<SpawnedServer>();
        await foreach (var server in spawner.ListAsync(CancellationToken.None))
        {
            listed.Add(server);
        }

        Assert.Equal([new ServerKey("hank", ""), new ServerKey("hank", "project")], listed.Select(s => s.Key).OrderBy(k => k.Server));
    }
}
