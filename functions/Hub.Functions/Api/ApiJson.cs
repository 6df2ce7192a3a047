using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hub.Functions.Api;

/// <summary>How the REST API writes JSON: snake_case, nulls written (JupyterHub clients index fields directly), UTC with Z.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>Timestamps as JupyterHub writes them: ISO 8601 in UTC with a Z.</summary>
    public static string? Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A typed JSON answer written with <see cref="Options"/> (an <c>object</c> is written as what it holds).</summary>
    public static JsonHttpResult<T> Ok<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, Options, "application/json", statusCode);
}
