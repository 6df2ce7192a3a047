using System.Text.Json;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Timers;

/// <summary>
/// The custom-handler side of timer functions: the Functions host posts <c>{"Data": {...}, "Metadata": {...}}</c> to
/// <c>/{functionName}</c> and expects 2xx with <c>{"Outputs": {}, "Logs": [...], "ReturnValue": null}</c>; any other
/// status marks the invocation failed. These paths sit outside /hub/, which is all the public HTTP function forwards,
/// and only the callers <see cref="TimerCallers"/> names may use them (403 for anyone else).
/// </summary>
public static class TimerEndpoints
{
    public static IEndpointRouteBuilder MapTimerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Only the jobs' names are needed here; the caller check (the hub key's derivation) and the jobs themselves
        // are built on the first invocation, not on the way to the first request.
        var runner = endpoints.ServiceProvider.GetRequiredService<TimerJobRunner>();
        foreach (var job in runner.Jobs)
        {
            endpoints.MapPost("/" + job.Name, (HttpContext context, CancellationToken cancellationToken) =>
                InvokeAsync(runner, context.RequestServices.GetRequiredService<TimerCallers>(), job, context, cancellationToken));
        }
        return endpoints;
    }

    /// <summary>Registers what the endpoints need: the header made from the hub's key, and the caller check.</summary>
    public static IServiceCollection AddTimerCallers(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => new TimerInvocationHeader(HubSecretKey.Load(provider.GetRequiredService<HubOptions>())));
        services.TryAddSingleton<TimerCallers>();
        return services;
    }

    private static async Task<IResult> InvokeAsync(TimerJobRunner runner, TimerCallers callers, ITimerJob job, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (callers.Refusal(context, job) is { } refusal)
        {
            return Results.Problem(title: "Not allowed", detail: refusal, statusCode: StatusCodes.Status403Forbidden);
        }
        var (invocation, problem) = await ReadInvocationAsync(context, cancellationToken);
        if (problem is not null)
        {
            return Results.Problem(title: "Not a Functions invocation", detail: problem, statusCode: StatusCodes.Status400BadRequest);
        }
        var result = await runner.RunAsync(job, invocation, cancellationToken);
        var response = new TimerInvocationResponse(new Dictionary<string, object?>(), result.Logs, null);
        return result.Outcome == TimerRunOutcome.Failed
            ? Results.Json(response, statusCode: StatusCodes.Status500InternalServerError)
            : Results.Json(response);
    }

    /// <summary>
    /// Reads what the host sends, tolerantly: JSON of another shape still runs the job (the payload is informational);
    /// a body that is not JSON (an empty one included: the host always sends its payload) is refused with the parser's
    /// reason, and no job runs.
    /// </summary>
    internal static async Task<(TimerInvocation Invocation, string? Problem)> ReadInvocationAsync(HttpContext context, CancellationToken cancellationToken)
    {
        string? invocationId = context.Request.Headers["X-Azure-Functions-InvocationId"].FirstOrDefault();
        bool pastDue = false;
        DateTimeOffset? scheduledFor = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && TryGet(document.RootElement, "Data", out var data)
                && data.ValueKind == JsonValueKind.Object)
            {
                foreach (var binding in data.EnumerateObject())
                {
                    var timer = binding.Value;
                    // Bindings arrive as an object or as a JSON string holding the object.
                    if (timer.ValueKind == JsonValueKind.String && TryParse(timer.GetString()!) is { } inner)
                    {
                        using (inner)
                        {
                            (pastDue, scheduledFor) = ReadTimer(inner.RootElement);
                        }
                    }
                    else if (timer.ValueKind == JsonValueKind.Object)
                    {
                        (pastDue, scheduledFor) = ReadTimer(timer);
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            return (new TimerInvocation(TimerTriggerSource.FunctionsHost, invocationId), $"The body is not valid JSON: {ex.Message}");
        }
        return (new TimerInvocation(TimerTriggerSource.FunctionsHost, invocationId, pastDue, scheduledFor), null);
    }

    private static (bool PastDue, DateTimeOffset? ScheduledFor) ReadTimer(JsonElement timer)
    {
        bool pastDue = TryGet(timer, "IsPastDue", out var due) && due.ValueKind == JsonValueKind.True;
        DateTimeOffset? next = null;
        if (TryGet(timer, "ScheduleStatus", out var status) && status.ValueKind == JsonValueKind.Object
            && TryGet(status, "Next", out var nextElement) && nextElement.ValueKind == JsonValueKind.String
            && nextElement.TryGetDateTimeOffset(out var parsed))
        {
            next = parsed;
        }
        return (pastDue, next);
    }

    private static JsonDocument? TryParse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null; // a binding that is a plain string, not a timer
        }
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private sealed record TimerInvocationResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
        [property: System.Text.Json.Serialization.JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
        [property: System.Text.Json.Serialization.JsonPropertyName("ReturnValue")] object? ReturnValue);
}
