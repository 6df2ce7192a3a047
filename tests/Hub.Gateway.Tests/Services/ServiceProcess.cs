using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Gateway.Tests.Services;

/// <summary>
/// An externally run service as a real Kestrel app on a free loopback port: it serves under <c>/services/{name}/</c>,
/// answers with the path and the cookies it was sent, and tries to set the hub's session cookie.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServiceProcess(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServiceProcess> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/services/{name}/set-cookies", (HttpContext context) =>
        {
            context.Response.Headers.Append("Set-Cookie", "hub-session=tossed; Path=/");
            context.Response.Headers.Append("Set-Cookie", "grader-state=kept; Path=/services/grader/");
            return "ok";
        });
        app.Map("/{**path}", (HttpContext context) => Results.Text(JsonSerializer.Serialize(new Seen(
            context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            context.Request.Headers.Cookie.ToString())), "application/json"));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServiceProcess(app, new Uri(address));
    }

    /// <summary>What the service saw of a request.</summary>
    public sealed record Seen(string Path, string Cookie);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
