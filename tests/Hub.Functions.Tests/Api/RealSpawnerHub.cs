using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Tests.Api;

/// <summary>
/// <see cref="TestHub"/> (its login and token helpers) with the app's own <see cref="IServerLifecycle"/> and the
/// LocalProcess spawner instead of the scripted one: real Jupyter processes under a temporary data folder, all
/// stopped on dispose.
/// </summary>
internal sealed class RealSpawnerHub : IAsyncDisposable
{
    private RealSpawnerHub(TestHub hub, string dataDirectory)
    {
        Hub = hub;
        DataDirectory = dataDirectory;
    }

    public TestHub Hub { get; }

    public string DataDirectory { get; }

    public IHubStore Store => Hub.Store;

    public static async Task<RealSpawnerHub> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null)
    {
        string data = Directory.CreateTempSubdirectory("hub-api-spawn-").FullName;
        var all = new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = data,
            ["Spawner:Kind"] = "LocalProcess",
            ["Spawner:ReconcileInterval"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        try
        {
            // TestHub registers the scripted lifecycle first; removing it lets the app's TryAdd register the real one.
            var hub = await TestHub.StartAsync(azurite, all, services => services.RemoveAll<IServerLifecycle>());
            if (hub.Plane.Services.GetRequiredService<IServerLifecycle>() is not ServerLifecycle)
            {
                await hub.DisposeAsync();
                throw new InvalidOperationException("The control plane did not take the real server lifecycle.");
            }
            return new RealSpawnerHub(hub, data);
        }
        catch
        {
            Directory.Delete(data, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Hub.DisposeAsync();
        }
        finally
        {
            // Servers outlive the control plane by design, so the test stops what it started.
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
