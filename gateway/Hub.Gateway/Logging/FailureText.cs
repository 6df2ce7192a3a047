using Azure;
using Hub.Core.Security;

namespace Hub.Gateway.Logging;

/// <summary>A one-line reason for a failed store call, for logs and health: the service's status and error code, not its whole response.</summary>
internal static class FailureText
{
    public static string Of(Exception ex) => ex switch
    {
        RequestFailedException { Status: > 0 } failed => $"{failed.Status} {failed.ErrorCode}".TrimEnd(),
        RequestFailedException failed => failed.InnerException?.Message ?? FirstLine(failed.Message),
        _ => FirstLine(ex.Message),
    };

    private static string FirstLine(string text)
    {
        int end = text.IndexOfAny(['\r', '\n']);
        return LogText.CapLong(end < 0 ? text : text[..end]);
    }
}
