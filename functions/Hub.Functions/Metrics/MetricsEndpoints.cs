using Hub.Core.Store;
using Hub.Functions.Api;

namespace Hub.Functions.Metrics;

/// <summary>
/// <c>GET /hub/metrics</c> (and <c>/hub/api/metrics</c>): Prometheus text, for callers holding <c>read:metrics</c>
/// (JupyterHub's default <c>authenticate_prometheus=True</c>). The store-wide gauges are counted at most every
/// <see cref="GaugeLifetime"/>, so frequent scrapes do not turn into full table reads.
/// </summary>
public static class MetricsEndpoints
{
    public static readonly TimeSpan GaugeLifetime = TimeSpan.FromSeconds(15);

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hub/metrics", RenderAsync);
        endpoints.MapGet("/hub/api/metrics", RenderAsync);
        return endpoints;
    }

    private static async Task<IResult> RenderAsync(HttpContext context, HubMetrics metrics, StoreGauges gauges)
    {
        var (caller, problem) = await ApiAccess.AuthenticateAsync(context);
        if (caller is null)
        {
            return problem!;
        }
        if (!caller.Scopes.HasUnfiltered("read:metrics"))
        {
            return ApiProblem.MissingScope("read:metrics");
        }
        var counts = await gauges.ReadAsync(context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        var text = new System.Text.StringBuilder(metrics.Render(counts.Users, counts.RunningServers, counts.ActiveSessions));
        foreach (var source in context.RequestServices.GetServices<IMetricsSource>())
        {
            source.Write(text);
        }
        return Results.Text(text.ToString(), ContentType);
    }
}

/// <summary>Counts of users, running servers and live sessions, read from the store and kept briefly.</summary>
public sealed class StoreGauges(IHubStore store, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, GaugeCounts Counts)? _last;

    public async Task<GaugeCounts> ReadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.At < MetricsEndpoints.GaugeLifetime)
            {
                return last.Counts;
            }
            long users = 0, running = 0, sessions = 0;
            await foreach (var _ in store.Users.ListAsync(cancellationToken))
            {
                users++;
            }
            await foreach (var server in store.Servers.ListAsync(cancellationToken))
            {
                running += server.Phase == ServerPhase.Running ? 1 : 0;
            }
            await foreach (var session in store.Sessions.ListAsync(cancellationToken))
            {
                sessions += session.Expires > now ? 1 : 0;
            }
            var counts = new GaugeCounts(users, running, sessions);
            _last = (now, counts);
            return counts;
        }
        finally
        {
            _gate.Release();
        }
    }
}

public sealed record GaugeCounts(long Users, long RunningServers, long ActiveSessions);
