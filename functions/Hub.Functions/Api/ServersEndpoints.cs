using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hub.Core.Security;
using Hub.Functions.Api.Models;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Metrics;

namespace Hub.Functions.Api;

/// <summary>
/// Starting and stopping servers through <see cref="IServerLifecycle"/>, with JupyterHub's status codes (201 ready,
/// 202 pending, 204 stopped, 400 conflicting state, 429 with <c>Retry-After</c>), and the progress event stream.
/// </summary>
public static class ServersEndpoints
{
    /// <summary>A keep-alive line is sent this often on a quiet progress stream, as JupyterHub does.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The longest one progress stream stays open. Under Azure Functions every open stream is a billed execution that
    /// holds one of the instance's HTTP slots, and the front end cuts a response at 230 s; a stream that ends here
    /// tells EventSource clients to reconnect after <see cref="ReconnectMilliseconds"/>, and the hub's pages look again.
    /// </summary>
    public static readonly TimeSpan MaxStreamDuration = TimeSpan.FromSeconds(200);

    /// <summary>The <c>retry</c> an EventSource waits before it reconnects to a stream that ended.</summary>
    public const int ReconnectMilliseconds = 1000;

    public static IEndpointRouteBuilder MapServersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var start = TargetFilter.Server(scopes => scopes.HasAny("start:servers") ? "start:servers" : "servers");
        var stop = TargetFilter.Server("delete:servers");
        var read = TargetFilter.Server("read:servers");
        endpoints.MapPost("/users/{name}/server", StartAsync).AddEndpointFilter(start);
        endpoints.MapDelete("/users/{name}/server", (HttpContext c, ApiTarget target) => StopAsync(c, target, namedRoute: false)).AddEndpointFilter(stop);
        endpoints.MapPost("/users/{name}/servers/{server}", StartAsync).AddEndpointFilter(start);
        endpoints.MapDelete("/users/{name}/servers/{server}", (HttpContext c, ApiTarget target) => StopAsync(c, target, namedRoute: true)).AddEndpointFilter(stop);
        endpoints.MapGet("/users/{name}/server/progress", ProgressAsync).AddEndpointFilter(read);
        endpoints.MapGet("/users/{name}/servers/{server}/progress", ProgressAsync).AddEndpointFilter(read);
        return endpoints;
    }

    private static async Task<IResult> StartAsync(HttpContext context, ApiTarget target)
    {
        var (body, bodyProblem) = await ApiBody.ReadObjectAsync(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if (context.RequestServices.GetService<IServerLifecycle>() is not { } lifecycle)
        {
            return NoSpawning();
        }
        var key = target.Server;
        var result = await lifecycle.RequestStartAsync(key, ServerStartRequest.Read(body).Options, context.RequestAborted);
        string label = LogText.Cap(key.ToString());
        switch (result.Status)
        {
            case StartStatus.Ready:
                return Results.StatusCode(StatusCodes.Status201Created);
            case StartStatus.Pending:
                return Results.StatusCode(StatusCodes.Status202Accepted);
            case StartStatus.AlreadyRunning:
                return ApiProblem.BadRequest($"{label} is already running");
            case StartStatus.StopPending:
                return ApiProblem.BadRequest($"{label} is pending stop");
            case StartStatus.InvalidOptions:
                return ApiProblem.BadRequest(result.Message ?? "These options are not offered.");
            case StartStatus.Failed:
                return ApiProblem.Of(StatusCodes.Status500InternalServerError, result.Message ?? "The server failed to start.");
            case StartStatus.Refused:
                return Usage.UsageProblem.Refused(result);
            default:
                context.RequestServices.GetRequiredService<HubMetrics>().SpawnThrottled();
                var retry = result.RetryAfter ?? TimeSpan.FromSeconds(30);
                return ApiProblem.Of(StatusCodes.Status429TooManyRequests, result.Message ?? "Too many users trying to start right now. Try again soon.",
                    new Dictionary<string, string> { ["Retry-After"] = Math.Max(1, Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture) });
        }
    }

    private static async Task<IResult> StopAsync(HttpContext context, ApiTarget target, bool namedRoute)
    {
        var key = target.Server;
        string serverName = key.Server;
        var (request, bodyProblem) = await ApiBody.ReadAsync<ServerStopRequest>(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        bool remove = request.Remove;
        if (remove && serverName.Length == 0)
        {
            return ApiProblem.BadRequest("The default server cannot be removed, only stopped.");
        }
        var store = context.RequestServices.GetRequiredService<IHubStore>();
        var record = await store.Servers.GetAsync(key, context.RequestAborted);
        if (record is null)
        {
            return namedRoute ? ApiProblem.NotFound($"{LogText.Cap(key.User)} has no server named '{LogText.Cap(serverName)}'") : Results.NoContent();
        }
        if (context.RequestServices.GetService<IServerLifecycle>() is not { } lifecycle)
        {
            return NoSpawning();
        }
        var result = await lifecycle.RequestStopAsync(key, context.RequestAborted);
        if (result.Status == StopStatus.Pending)
        {
            return Results.StatusCode(StatusCodes.Status202Accepted);
        }
        if (remove)
        {
            if (!await StoppedServerRemoval.DeleteIfStillStoppedAsync(store, key, context.RequestAborted))
            {
                return ApiProblem.Of(StatusCodes.Status409Conflict, $"{LogText.Cap(key.ToString())} was started again while it was being removed; stop it again to remove it.");
            }
            // As JupyterHub's cascade: a server created again under this name starts unshared.
            await Hub.Core.Sharing.SharedAccess.RemoveAsync(store, key.User, key.Server, context.RequestAborted);
        }
        return Results.NoContent();
    }

    private static async Task<IResult> ProgressAsync(HttpContext context, ApiTarget target)
    {
        if (context.RequestServices.GetService<IServerLifecycle>() is not { } lifecycle)
        {
            return NoSpawning();
        }
        var key = target.Server;
        // The watch ends with the request, or earlier when the stream reaches its longest duration.
        var watch = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var events = lifecycle.WatchAsync(key, watch.Token).GetAsyncEnumerator(watch.Token);
        bool hasFirst;
        try
        {
            hasFirst = await events.MoveNextAsync();
        }
        catch (ServerNotStartingException)
        {
            await events.DisposeAsync();
            watch.Dispose();
            return ApiProblem.BadRequest($"{LogText.Cap(key.ToString())} is not starting");
        }
        return new ProgressStream(events, watch, hasFirst, ServerUrls.BasePath(key));
    }

    private static IResult NoSpawning() => ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, "Spawning is not available on this hub.");

    /// <summary>
    /// Writes <c>retry</c>, then <c>data: {json}\n\n</c> per event and a blank keep-alive line when nothing happened
    /// for <see cref="KeepAliveInterval"/>; ends at the outcome or after <see cref="MaxStreamDuration"/>.
    /// </summary>
    private sealed class ProgressStream(IAsyncEnumerator<SpawnProgress> events, CancellationTokenSource watch, bool hasFirst, string url) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            var cancellationToken = context.RequestAborted;
            long started = time.GetTimestamp();
            try
            {
                await response.WriteAsync($"retry: {ReconnectMilliseconds}\n\n", cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                bool more = hasFirst;
                while (more)
                {
                    var progress = events.Current;
                    await WriteAsync(response, progress, cancellationToken);
                    if (progress.Ready || progress.Failed)
                    {
                        break;
                    }
                    var next = events.MoveNextAsync().AsTask();
                    while (true)
                    {
                        var left = MaxStreamDuration - time.GetElapsedTime(started);
                        if (left <= TimeSpan.Zero)
                        {
                            await EndWatchAsync(next);
                            return;
                        }
                        using var keepAlive = new CancellationTokenSource();
                        var delay = Task.Delay(left < KeepAliveInterval ? left : KeepAliveInterval, time, keepAlive.Token);
                        if (await Task.WhenAny(next, delay) == next)
                        {
                            await keepAlive.CancelAsync();
                            break;
                        }
                        await response.WriteAsync("\n", cancellationToken);
                        await response.Body.FlushAsync(cancellationToken);
                    }
                    more = await next;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The client went away.
            }
            finally
            {
                await events.DisposeAsync();
                watch.Dispose();
            }
        }

        private async Task EndWatchAsync(Task<bool> next)
        {
            await watch.CancelAsync();
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
                // The watch ended as asked.
            }
        }

        private async Task WriteAsync(HttpResponse response, SpawnProgress progress, CancellationToken cancellationToken)
        {
            var data = new ProgressEvent(progress.Progress, progress.Message, HtmlEncoder.Default.Encode(progress.Message))
            {
                QueuePosition = progress.QueuePosition,
                Ready = progress.Ready ? true : null,
                Url = progress.Ready ? progress.Url ?? url : null,
                Failed = progress.Failed ? true : null,
            };
            await response.WriteAsync("data: " + JsonSerializer.Serialize(data, ApiJson.Options) + "\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }
}
