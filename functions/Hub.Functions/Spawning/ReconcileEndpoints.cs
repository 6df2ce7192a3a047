using System.Text.Json;
using Hub.Core.Spawning;

namespace Hub.Functions.Spawning;

/// <summary>
/// <c>POST /reconcile</c>: the reconcile timer. The Azure Functions host calls it with a timer invocation
/// (<c>{"Data":{"timer":…},"Metadata":{…}}</c>) and expects <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>;
/// anything else may call it too. It runs one sweep (or joins the one in progress, so repeated calls cost no more
/// than one sweep at a time): orphaned resources removed, dead servers noticed, stale routes removed, and every server
/// on its way up or down stepped. It is outside <c>/hub/</c>, so the gateway never forwards it.
/// </summary>
public static class ReconcileEndpoints
{
    public const string Path = "/reconcile";

    /// <summary>The Functions host reads <c>Outputs</c>, <c>Logs</c> and <c>ReturnValue</c> as named, not in camel case.</summary>
    private static readonly JsonSerializerOptions HostContract = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null };

    public static IEndpointRouteBuilder MapReconcileEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, ReconcileAsync).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> ReconcileAsync(HttpContext context, ReconcileSweep sweep, ReconcileScheduler scheduler)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await ReadInvocationProblemAsync(context.Request, context.RequestAborted) is { } problem)
        {
            return Results.Problem(title: "Not a Functions invocation", detail: problem, statusCode: StatusCodes.Status400BadRequest);
        }
        var report = await sweep.RunAsync(scheduler.Schedule, context.RequestAborted);
        return Results.Json(new InvocationResponse(new Dictionary<string, object?>(), report.ToLines(), null), HostContract);
    }

    /// <summary>Accepts an empty body or a JSON object (the host's <c>{Data, Metadata}</c>, read tolerantly).</summary>
    private static async Task<string?> ReadInvocationProblemAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return null;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? null
                : "The body must be a JSON object such as the Functions host's {\"Data\":{…},\"Metadata\":{…}}.";
        }
        catch (JsonException ex)
        {
            // An empty body without a Content-Length arrives here too.
            return ex.BytePositionInLine == 0 && ex.LineNumber == 0 ? null : $"The body is not valid JSON: {ex.Message}";
        }
    }

    /// <summary>What a custom handler answers the Functions host for a non-HTTP trigger.</summary>
    private sealed record InvocationResponse(IDictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);
}
