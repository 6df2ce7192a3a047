using System.Net;
using System.Net.Sockets;
using Hub.Testing;
using Hub.Testing.Spawning;

namespace Hub.Repository.Tests.HubRun;

/// <summary>
/// The README's first command, <c>./hub run</c>, as a whole: the real script builds, starts Azurite, the control plane
/// and the gateway on ports of its own, serves a user's Jupyter kernel through the gateway, and Ctrl+C leaves nothing
/// running and no port bound.
/// </summary>
public sealed class HubRunScriptTests
{
    /// <summary>The script's no-op build (the tests built the same projects), Azurite and both apps starting.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SpawnTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan KernelTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The script stops each process politely first and by force after a few seconds.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_ServesAKernelThroughTheGateway_CtrlCLeavesNoProcessAndNoPort()
    {
        var appsBefore = AppAssemblies.LastWriteTimes();
        await using var run = await HubRunScript.StartAsync();

        var url = await run.WaitUntilRunningAsync(StartTimeout);
        using var client = new HttpClient { BaseAddress = run.Ports.GatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
        var health = await client.GetAsync("/hub/health");
        using var user = await GatewayUser.LogInAsync(run.Ports.GatewayUrl, "runner");
        string landed = await user.SpawnByFollowingRedirectsAsync(SpawnTimeout);
        string token = await user.CreateTokenAsync();
        // The kernel stays running: Ctrl+C must stop it too.
        string result = await KernelSession.ExecuteAsync(run.Ports.GatewayUrl, "/user/runner/", token, "1+1", KernelTimeout);
        int withPublicKey = await StoreKeyProbe.StatusWithKeyAsync(run.Ports.AzuriteTable, StoreKeyProbe.PublicEmulatorKey);
        int withRunsKey = await StoreKeyProbe.StatusWithKeyAsync(run.Ports.AzuriteTable, File.ReadAllText(Path.Combine(run.DataDirectory, "azurite.key")));
        var dataMode = File.GetUnixFileMode(run.DataDirectory);
        var footprint = RunFootprint.Take(run.ProcessGroup, run.DataDirectory);
        var servers = RunFootprint.ServerProcesses(run.DataDirectory).ToList();

        run.Interrupt();
        int exitCode = await run.WaitForExitAsync(StopTimeout);
        var stillRunning = footprint.StillRunning();
        var strays = ProcfsProcess.All().Where(p => p.Group == run.ProcessGroup || p.Touches(run.DataDirectory)).ToList();
        var answering = run.Ports.All.Concat(footprint.ListeningPorts).Distinct().Where(Answers).ToList();

        Assert.Equal(new Uri($"http://127.0.0.1:{run.Ports.Gateway}/hub/"), url);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.StartsWith("/user/runner/tree", landed, StringComparison.Ordinal);
        Assert.Equal("2", result);
        // Students' servers reach Azurite's loopback ports: the run's Azurite refuses the emulator's public key.
        Assert.Equal((403, 200), (withPublicKey, withRunsKey));
        Assert.Equal(UnixFileMode.None, dataMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite));
        Assert.Equal(appsBefore, AppAssemblies.LastWriteTimes());
        // The footprint saw what it is meant to see, so that "nothing left" below means something.
        Assert.True(run.Ports.All.All(footprint.ListeningPorts.Contains), $"the run's own ports missing from what it listened on:\n{footprint}");
        int server = Assert.Single(servers);
        Assert.True(footprint.Processes.Count(p => p.Id != server && p.CommandLine.Contains("kernel-", StringComparison.Ordinal)) >= 1,
            $"no kernel process in the footprint:\n{footprint}");
        Assert.True(exitCode == 0, $"./hub run exited with {exitCode} after Ctrl+C. Output:\n{run.Output}");
        Assert.True(stillRunning.Count == 0, "still running after Ctrl+C:\n" + string.Join("\n", stillRunning) + "\nOutput:\n" + run.Output);
        Assert.True(strays.Count == 0, "processes of the run (its group, or its data folder) after Ctrl+C:\n" + string.Join("\n", strays));
        Assert.True(answering.Count == 0, $"ports still accepting connections after Ctrl+C: {string.Join(", ", answering)}\n{footprint}");
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
