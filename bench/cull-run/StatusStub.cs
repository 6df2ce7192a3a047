using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CullRun;

/// <summary>
/// A Kestrel host on 127.0.0.1 that answers Jupyter's <c>/user/{name}/api/status</c> and <c>/user/{name}/api/kernels</c>
/// for every seeded server as an idle Jupyter would (last activity long ago; one idle kernel, last active long ago), so
/// the idle ones the culler asks are really asked over HTTP: the kernel list when it counts what a person does, the
/// status (then the kernel list) when it counts traffic.
/// </summary>
internal sealed class StatusStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    private StatusStub(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<StatusStub> StartAsync(DateTimeOffset lastActivity)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StatusStub(app);
        string last = $"{lastActivity.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}";
        string status = $$"""{"started":"2026-01-01T00:00:00.000000Z","last_activity":"{{last}}","kernels":1,"connections":0}""";
        string kernels = $$"""[{"id":"k1","name":"python3","last_activity":"{{last}}","execution_state":"idle","connections":0}]""";
        IResult Answer(HttpContext context, string body)
        {
            Interlocked.Increment(ref stub._requests);
            return context.Request.Headers.Authorization.ToString().StartsWith("token ", StringComparison.Ordinal)
                ? Results.Text(body, "application/json")
                : Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        app.MapGet("/user/{name}/api/status", (HttpContext context) => Answer(context, status));
        app.MapGet("/user/{name}/api/kernels", (HttpContext context) => Answer(context, kernels));
        await app.StartAsync();
        stub.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
