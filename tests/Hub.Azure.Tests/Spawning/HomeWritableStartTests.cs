using System.Diagnostics;
using System.Text.Json;
using Hub.Azure.Arm;
using Hub.Core.Spawning;

namespace Hub.Azure.Tests.Spawning;

/// <summary>
/// The container's start command (run here by the real /bin/sh) starts Jupyter only in a writable home, and a server
/// whose home was not writable fails its spawn with a reason a person can act on.
/// </summary>
public sealed class HomeWritableStartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-home-check-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task StartCommand_WritableHome_RunsTheCommandAndLeavesNoProbe()
    {
        string home = Directory.CreateDirectory(Path.Combine(_directory, "home")).FullName;

        var (exit, output, error) = await RunAsync(ContainerGroupDefinition.StartCommand(home, ["/bin/echo", "jupyter started", "--ServerApp.root_dir=x y"]));

        Assert.True(exit == 0, error);
        Assert.Equal("jupyter started --ServerApp.root_dir=x y", output.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(home));
    }

    [Fact]
    public async Task StartCommand_UnwritableHome_ExitsWithTheHomeCodeAndNeverRunsTheCommand()
    {
        // A path below a regular file cannot take a new file, not even for root (the tests may run as root).
        string file = Path.Combine(_directory, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        string home = Path.Combine(file, "home");

        var (exit, output, error) = await RunAsync(ContainerGroupDefinition.StartCommand(home, ["/bin/echo", "jupyter started"]));

        Assert.Equal(ContainerGroupDefinition.HomeNotWritableExitCode, exit);
        Assert.Empty(output);
        Assert.Contains($"the home folder {home} is not writable by uid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_ContainerExitedWithTheHomeCode_FailsSayingTheHomeIsNotWritable()
    {
        using var group = JsonDocument.Parse("""
            {"properties": {"provisioningState": "Succeeded", "instanceView": {"state": "Stopped", "events": []},
              "containers": [{"name": "notebook", "properties": {"instanceView": {"currentState": {"state": "Terminated", "exitCode": EXIT, "detailStatus": "Error"}, "events": []}}}]}}
            """.Replace("EXIT", ContainerGroupDefinition.HomeNotWritableExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var seen = ContainerGroupState.Observe(group.RootElement, 8888);

        Assert.Equal(SpawnerStatus.Failed, seen.Status);
        Assert.Contains("home folder could not be written to", seen.Message, StringComparison.Ordinal);
        Assert.Contains("not writable by the image's user", seen.Detail, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(System.Text.Json.Nodes.JsonArray command)
    {
        var arguments = command.Select(a => a!.GetValue<string>()).ToList();
        var info = new ProcessStartInfo(arguments[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.Skip(1).ToList().ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        return (process.ExitCode, await output, await error);
    }
}
