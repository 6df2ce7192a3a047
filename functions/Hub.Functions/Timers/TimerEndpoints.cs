using System.Text.Json;

namespace Hub.Functions.Timers;

/// <summary>
/// The custom-handler side of timer functions: the Functions host posts <c>{"Data": {...}, "Metadata": {...}}</c> to
/// <c>/{functionName}</c> and expects 2xx with <c>{"Outputs": {}, "Logs": [...], "ReturnValue": null}</c>; any other
/// status marks the invocation failed. These paths sit outside /hub/, which is all the public HTTP function forwards.
/// </summary>
public static class TimerEndpoints
{
    public static IEndpointRouteBuilder MapTimerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var runner = endpoints.ServiceProvider.GetRequiredService<TimerJobRunner>();
        foreach (var job in runner.Jobs)
        {
            endpoints.MapPost("/" + job.Name, (HttpContext context, CancellationToken cancellationToken) => InvokeAsync(runner, job, context, cancellationToken));
        }
        return endpoints;
    }

    private static async Task<IResult> InvokeAsync(TimerJobRunner runner, ITimerJob job, HttpContext context, CancellationToken cancellationToken)
    {
        var invocation = await ReadInvocationAsync(context, cancellationToken);
        var result = await runner.RunAsync(job, invocation, cancellationToken);
        var response = new TimerInvocationResponse(new Dictionary<string, object?>(), result.Logs, null);
        return result.Outcome == TimerRunOutcome.Failed
            ? Results.Json(response, statusCode: StatusCodes.Status500InternalServerError)
            : Results.Json(response);
    }

    /// <summary>Reads what the host sends, tolerantly: a missing or odd body still runs the job.</summary>
    internal static async Task<TimerInvocation> ReadInvocationAsync(HttpContext context, CancellationToken cancellationToken)
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
                    if (timer.ValueKind == JsonValueKind.String)
                    {
                        using var inner = JsonDocument.Parse(timer.GetString()!);
                        (pastDue, scheduledFor) = ReadTimer(inner.RootElement);
                    }
                    else if (timer.ValueKind == JsonValueKind.Object)
                    {
                        (pastDue, scheduledFor) = ReadTimer(timer);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // The host's payload is informational; a run does not depend on it.
        }
        return new TimerInvocation(TimerTriggerSource.FunctionsHost, invocationId, pastDue, scheduledFor);
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
