using System.Text.Json;
using Azure;
using Azure.Core;

namespace Hub.Azure.Tables;

/// <summary>
/// Reads the service's error code and message from a failed Table response: the OData JSON body
/// (<c>{"odata.error":{"code":…,"message":{"value":…}}}</c>) or, failing that, the <c>x-ms-error-code</c> header.
/// A body that is not JSON still yields an exception with the status code, never a parsing exception.
/// </summary>
internal sealed class TableErrorParser : RequestFailedDetailsParser
{
    public static readonly TableErrorParser Instance = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        error = null;
        if (TryReadODataError(response.Content, out string? code, out string? message))
        {
            error = new ResponseError(code, message);
            return true;
        }
        if (response.Headers.TryGetValue("x-ms-error-code", out string? headerCode))
        {
            error = new ResponseError(headerCode, $"The table service answered {response.Status} {response.ReasonPhrase} ({headerCode}).");
            return true;
        }
        return false;
    }

    /// <summary>Reads an OData error object; false when the body is empty or not of that shape.</summary>
    internal static bool TryReadODataError(BinaryData? body, out string? code, out string? message)
    {
        code = null;
        message = null;
        if (body is null || body.ToMemory().IsEmpty)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("odata.error", out var odataError)
                || odataError.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            if (odataError.TryGetProperty("code", out var codeElement) && codeElement.ValueKind == JsonValueKind.String)
            {
                code = codeElement.GetString();
            }
            if (odataError.TryGetProperty("message", out var messageElement))
            {
                message = messageElement.ValueKind switch
                {
                    JsonValueKind.String => messageElement.GetString(),
                    JsonValueKind.Object when messageElement.TryGetProperty("value", out var value) => value.GetString(),
                    _ => null,
                };
            }
            return code is not null || message is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
