using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Hub.Functions.Tests.Auth;

/// <summary>
/// A stand-in for the Functions host's proxy in front of the control plane: YARP's forwarder on 127.0.0.1, which sets
/// <c>X-Forwarded-For</c> to the address it was called from, whatever the caller sent, as the host's front end does.
/// </summary>
public sealed class HostLikeProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    private HostLikeProxy(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public static async Task<HostLikeProxy> StartAsync(Uri controlPlane)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var proxy = new HostLikeProxy(app);
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        string destination = controlPlane.GetLeftPart(UriPartial.Authority);
        app.Map("/{**path}", async context =>
            await forwarder.SendAsync(context, destination, proxy._invoker, ForwarderRequestConfig.Empty, new OverwriteForwardedFor()));
        await app.StartAsync();
        proxy.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _invoker.Dispose();
    }

    private sealed class OverwriteForwardedFor : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Remove("X-Forwarded-For");
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", (httpContext.Connection.RemoteIpAddress ?? IPAddress.Loopback).ToString());
        }
    }
}
