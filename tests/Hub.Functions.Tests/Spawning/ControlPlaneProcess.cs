using System.Diagnostics;
using System.Globalization;
using Hub.Testing;

namespace Hub.Functions.Tests.Spawning;

/// <summary>The control plane as its own process (the built Hub.Functions.dll), so that a test can kill it like a crash.</summary>
internal sealed class ControlPlaneProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ControlPlaneProcess(ChildProcess process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    private static string AppDll
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return RepositoryPaths.InRoot("functions", "Hub.Functions", "bin", configuration, "net10.0", "Hub.Functions.dll");
        }
    }

    /// <param name="settings">App settings in configuration-path form (<c>Section:Key</c>), passed as environment variables.</param>
    public static async Task<ControlPlaneProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        int port = FreePort.Next();
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["ControlPlane__ListenUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var process = ChildProcess.Start("dotnet", [AppDll], Path.GetTempPath(), environment);
        await process.WaitForLineAsync(@"Control plane listening on http://127\.0\.0\.1:" + port, TimeSpan.FromSeconds(60));
        return new ControlPlaneProcess(process, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>
    /// Kills the control plane alone with SIGKILL (what <see cref="Process.Kill(bool)"/> sends on Linux), as a crash or
    /// the Functions host's recycling would: no shutdown code runs, and the servers it started are not its to take along.
    /// </summary>
    public async Task CrashAsync()
    {
        using var process = Process.GetProcessById(_process.Id);
        process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }
}
