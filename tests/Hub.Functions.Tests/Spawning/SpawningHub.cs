using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Spawning;

/// <summary>
/// The real control plane (Kestrel on port 0, Azurite, a temporary data folder) for spawning tests. Disposing stops
/// every server it started (servers outlive the control plane by design, so a test must stop them itself).
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
        var all = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = tablePrefix ?? AzuriteFixture.UniqueTableName("sp"),
            ["Hub:DataDirectory"] = data,
            ["Spawner:ReconcileInterval"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var controlPlane = await RunningControlPlane.StartAsync(all, services);
        var hub = new SpawningHub(controlPlane, data);
        await hub.Store.InitializeAsync();
        return hub;
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
            var stops = new List<Task>();
            await foreach (var record in Store.Servers.ListActiveAsync())
            {
                stops.Add(Lifecycle.RequestStopAsync(record.Key));
            }
            await Task.WhenAll(stops);
            await Eventually.UntilAsync(async () =>
            {
                await foreach (var _ in Store.Servers.ListActiveAsync())
                {
                    return false;
                }
                return true;
            }, TimeSpan.FromSeconds(60), "every server to stop");
        }
        finally
        {
            await ControlPlane.DisposeAsync();
            await LocalServers.StopAllAsync(DataDirectory);
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a process that is going away.
            }
        }
    }
}
