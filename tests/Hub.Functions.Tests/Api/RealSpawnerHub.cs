using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using Hub.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Api;

/// <summary>
/// <see cref="TestHub"/> (its login and token helpers) with the app's own <see cref="IServerLifecycle"/> and the
/// LocalProcess spawner instead of the scripted one: real Jupyter processes under a temporary data folder, all
/// stopped on dispose.
/// </summary>
internal sealed class RealSpawnerHub : IAsyncDisposable
{
    private RealSpawnerHub(TestHub hub) => Hub = hub;

    public TestHub Hub { get; }

    public string DataDirectory => Hub.Plane.Host.DataDirectory!;

    public IHubStore Store => Hub.Store;

    public static async Task<RealSpawnerHub> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var hub = await TestHub.StartAsync(azurite, HubSpawner.LocalJupyter, settings);
        if (hub.Plane.Services.GetRequiredService<IServerLifecycle>() is not ServerLifecycle)
        {
            await hub.DisposeAsync();
            throw new InvalidOperationException("The control plane did not take the real server lifecycle.");
        }
        return new RealSpawnerHub(hub);
    }

    /// <summary>Stops every server the tests started (servers outlive the control plane by design), then the hub.</summary>
    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
