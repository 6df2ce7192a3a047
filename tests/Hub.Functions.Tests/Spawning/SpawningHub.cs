using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Spawning;

/// <summary>
/// The real control plane (a <see cref="HubHost"/> with local Jupyter processes, Azurite, a temporary data folder) for
/// spawning tests. Disposing stops every server it started (servers outlive the control plane by design).
/// </summary>
internal sealed class SpawningHub : IAsyncDisposable
{
    private SpawningHub(RunningControlPlane controlPlane, string dataDirectory)
    {
        ControlPlane = controlPlane;
        DataDirectory = dataDirectory;
    }

    public RunningControlPlane ControlPlane { get; }

    public string DataDirectory { get; }

    public IServerLifecycle Lifecycle => ControlPlane.Services.GetRequiredService<IServerLifecycle>();

    public IHubStore Store => ControlPlane.Services.GetRequiredService<IHubStore>();

    public static async Task<SpawningHub> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, string? tablePrefix = null, string? dataDirectory = null,
        Action<IServiceCollection>? services = null)
    {
        string data = dataDirectory ?? Directory.CreateTempSubdirectory("hub-spawn-").FullName;
        var host = await HubHost.StartAsync(new HubHostOptions
        {
            Azurite = azurite,
            TablePrefix = tablePrefix ?? AzuriteFixture.UniqueTableName("sp"),
            // Settings may choose another spawner (the ARM double); the host still stops local servers on dispose.
            Spawner = HubSpawner.LocalJupyter,
            DataDirectory = data,
            WaitUntilReady = false,
            ControlPlaneSettings = settings ?? new Dictionary<string, string?>(),
            ControlPlaneServices = services,
        });
        return new SpawningHub(new RunningControlPlane(host), data);
    }

    public async Task AddUsersAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await Store.Users.CreateAsync(new UserRecord { Name = name, Created = DateTimeOffset.UtcNow });
        }
    }

    /// <summary>Follows the progress stream to its end; returns every event.</summary>
    public async Task<IReadOnlyList<SpawnProgress>> WatchToEndAsync(ServerKey server, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var events = new List<SpawnProgress>();
        try
        {
            await foreach (var progress in Lifecycle.WatchAsync(server, cancellation.Token))
            {
                events.Add(progress);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"{server} did not become ready or fail within {timeout}; events: {string.Join(" | ", events.Select(e => e.Message))}");
        }
        return events;
    }

    public async Task<ServerRecord> RecordAsync(ServerKey server) => (await Store.Servers.GetAsync(server))!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Stops every server it started, then the control plane.
            await ControlPlane.DisposeAsync();
        }
        finally
        {
            TemporaryFolder.Delete(DataDirectory);
        }
    }
}
