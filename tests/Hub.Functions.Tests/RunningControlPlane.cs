using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests;

/// <summary>The real control plane on Kestrel, on a free loopback port, stopped on dispose.</summary>
public sealed class RunningControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningControlPlane(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">App settings (configuration paths, e.g. <c>Storage:ConnectionString</c>).</param>
    /// <param name="services">Registers services before the app's own (which are added with TryAdd), e.g. a test double.</param>
    public static async Task<RunningControlPlane> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var app = ControlPlaneApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["ControlPlane:ListenUrl"] = "http://127.0.0.1:0" });
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningControlPlane(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
