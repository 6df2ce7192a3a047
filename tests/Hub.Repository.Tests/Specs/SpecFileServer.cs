using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Repository.Tests.Specs;

/// <summary>
/// A real Kestrel host on a loopback port serving a few small files from memory, standing in for the upstream
/// repositories the spec manifest points at; it counts the requests for each path.
/// </summary>
public sealed class SpecFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    private SpecFileServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public static async Task<SpecFileServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new SpecFileServer(app);
        app.MapGet("/{**path}", (string path) =>
        {
            server._requests.AddOrUpdate(path, 1, (_, count) => count + 1);
            return server._files.TryGetValue(path, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound();
        });
        await app.StartAsync();
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    /// <summary>Serves <paramref name="bytes"/> at <paramref name="path"/> and returns its URL.</summary>
    public Uri Serve(string path, byte[] bytes)
    {
        _files[path] = bytes;
        return new Uri(Address, path);
    }

    public int RequestsFor(string path) => _requests.GetValueOrDefault(path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
