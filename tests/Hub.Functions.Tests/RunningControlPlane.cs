using System.Net;
using Hub.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests;

/// <summary>The real control plane on Kestrel, on a free loopback port, stopped on dispose: a <see cref="HubHost"/> of the control plane alone.</summary>
public sealed class RunningControlPlane : IAsyncDisposable
{
    /// <summary>Wraps a started host that runs the control plane.</summary>
    public RunningControlPlane(HubHost host)
    {
        Host = host;
        // A plain HttpClient keeps cookies; tests written against it may rely on that.
        Client = host.CreateClient(host.ControlPlaneAddress, new CookieContainer());
    }

    public HubHost Host { get; }

    public Uri Address => Host.ControlPlaneAddress!;

    public HttpClient Client { get; }

    public IServiceProvider Services => Host.ControlPlane;

    /// <param name="settings">App settings (configuration paths, e.g. <c>Storage:ConnectionString</c>).</param>
    /// <param name="services">Registers services before the app's own (which are added with TryAdd), e.g. a test double.</param>
    public static async Task<RunningControlPlane> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        new(await HubHost.StartAsync(new HubHostOptions { ControlPlaneSettings = settings, ControlPlaneServices = services, WaitUntilReady = false }));

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
