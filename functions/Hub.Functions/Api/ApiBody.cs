using System.Text.Json;
using Hub.Functions.Api.Models;

namespace Hub.Functions.Api;

/// <summary>
/// The one reader of JSON request bodies: an object (or absent), with a size cap; a body that is not valid UTF-8 or
/// not valid JSON is a 400, never a 500.
/// </summary>
public static class ApiBody
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>
    /// The body read into the record <typeparamref name="T"/>, or the problem with it: too large, not a JSON object, or
    /// a bad field (the record's own 400). <c>Request</c> is meaningful only when there is no problem.
    /// </summary>
    public static async Task<(T Request, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : IRequestBody<T>
    {
        var (body, problem) = await ReadObjectAsync(request);
        if (problem is not null)
        {
            return (default!, problem);
        }
        return T.TryRead(body, out var read, out problem) ? (read, null) : (default!, problem);
    }

    /// <summary>The body's root object, <c>null</c> for an empty body, or a problem.</summary>
    public static async Task<(JsonElement? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, ApiProblem.Of(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBytes / 1024} KiB."));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, ApiProblem.Of(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBytes / 1024} KiB."));
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (null, null);
        }
        // The parser checks UTF-8 only where it must; a bad sequence inside a string would fail later, when read.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            return (null, ApiProblem.BadRequest("The request body is not valid UTF-8."));
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind == JsonValueKind.Null)
            {
                return (null, null);
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiProblem.BadRequest("The request body must be a JSON object."));
            }
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (null, ApiProblem.BadRequest("The request body is not valid JSON."));
        }
    }
}
