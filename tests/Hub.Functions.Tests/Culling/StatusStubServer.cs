using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Culling;

/// <summary>What one stand-in server answers: its own last activity and how many of its kernels are busy.</summary>
public sealed record StubActivity(DateTimeOffset? LastActivity, int BusyKernels = 0, int IdleKernels = 0);

/// <summary>
/// A real Kestrel host on a loopback port that answers Jupyter's <c>/user/{name}/api/status</c> and
/// <c>/user/{name}/api/kernels</c> for many users at once, as Jupyter answers them (403 without the user's token), so a
/// cull run can be tested against many servers without starting a Jupyter process for each.
/// </summary>
public sealed class StatusStubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Token, StubActivity Activity)> _servers = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _maxInFlight;
    private int _requests;
    private int _statusRequests;

    private StatusStubServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>How long each answer takes, so concurrent requests overlap visibly.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests for <c>/api/status</c> (the culler asks it only when it counts traffic).</summary>
    public int StatusRequests => Volatile.Read(ref _statusRequests);

    /// <summary>Requests that asked Jupyter to count them as activity (no <c>no_track_activity</c> where it matters).</summary>
    public ConcurrentBag<string> TrackedRequests { get; } = [];

    public void Answer(string user, string token, StubActivity activity) => _servers[user] = (token, activity);

    /// <summary>Runs before each answer with the user asked about: what lands while the culler is asking.</summary>
    public Func<string, Task>? BeforeAnswer { get; set; }

    public static async Task<StatusStubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new StatusStubServer(app);
        app.MapGet("/user/{name}/api/status", (string name, HttpContext context) => stub.AnswerAsync(name, context, kernels: false));
        app.MapGet("/user/{name}/api/kernels", (string name, HttpContext context) => stub.AnswerAsync(name, context, kernels: true));
        await app.StartAsync();
        stub.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return stub;
    }

    private async Task<IResult> AnswerAsync(string name, HttpContext context, bool kernels)
    {
        Interlocked.Increment(ref _requests);
        if (!kernels)
        {
            Interlocked.Increment(ref _statusRequests);
        }
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }
        try
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted);
            }
            if (BeforeAnswer is { } before)
            {
                await before(name);
            }
            if (!_servers.TryGetValue(name, out var server))
            {
                return Results.NotFound();
            }
            if (context.Request.Headers.Authorization.ToString() != "token " + server.Token)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            if (kernels && !context.Request.Query.ContainsKey("no_track_activity"))
            {
                TrackedRequests.Add(context.Request.Path + context.Request.QueryString);
            }
            var activity = server.Activity;
            string? last = activity.LastActivity?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            if (!kernels)
            {
                return Results.Json(new Dictionary<string, object?>
                {
                    ["started"] = "2026-01-01T00:00:00.000000Z",
                    ["last_activity"] = last,
                    ["kernels"] = activity.BusyKernels + activity.IdleKernels,
                    ["connections"] = 0,
                });
            }
            var list = Enumerable.Range(0, activity.BusyKernels).Select(i => new Dictionary<string, object?> { ["id"] = $"busy-{i}", ["execution_state"] = "busy", ["last_activity"] = last })
                .Concat(Enumerable.Range(0, activity.IdleKernels).Select(i => new Dictionary<string, object?> { ["id"] = $"idle-{i}", ["execution_state"] = "idle", ["last_activity"] = last }));
            return Results.Json(list);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
