using System.Globalization;
using System.Text.Json;
using Azure;

namespace Hub.Azure.Arm;

/// <summary>An ARM answer, read once: status, JSON body, the error ARM reported, and when to come back.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The JSON body, or <c>null</c> when there is none (or it is not JSON).</param>
/// <param name="RetryAfter">The Retry-After header, when present.</param>
/// <param name="ErrorCode">ARM's <c>error.code</c> on failures.</param>
/// <param name="ErrorMessage">ARM's <c>error.message</c> on failures (may name resources; never holds a secret we sent).</param>
public sealed record ArmResponse(int Status, JsonElement? Body, TimeSpan? RetryAfter, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>"409 ContainerGroupQuotaReached: …", for logs and admin messages.</summary>
    public string Describe() => $"{Status} {ErrorCode ?? "(no error code)"}: {Shorten(ErrorMessage ?? "(no message)")}";

    /// <summary>An exception for a status the caller did not expect.</summary>
    public RequestFailedException Unexpected(string operation) =>
        new(Status, $"ARM answered {operation} with {Describe()}", ErrorCode, null);

    internal static ArmResponse Read(global::Azure.Response response)
    {
        JsonElement? body = null;
        string? code = null, message = null;
        if (response.Content is { } content && !content.ToMemory().IsEmpty)
        {
            try
            {
                using var document = JsonDocument.Parse(content);
                body = document.RootElement.Clone();
                if (response.Status >= 400 && body.Value.ValueKind == JsonValueKind.Object
                    && body.Value.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                }
            }
            catch (JsonException)
            {
                body = null;
            }
        }
        return new ArmResponse(response.Status, body, ReadRetryAfter(response), code, message);
    }

    internal static TimeSpan? ReadRetryAfter(global::Azure.Response response)
    {
        if (!response.Headers.TryGetValue("Retry-After", out string? value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero
            : null;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
