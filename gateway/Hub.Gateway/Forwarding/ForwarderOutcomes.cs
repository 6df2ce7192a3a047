using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;
using YarpError = Yarp.ReverseProxy.Forwarder.ForwarderError;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Turns YARP's outcome of a forward (its <see cref="YarpError"/> and the exception behind it) into the gateway's
/// <see cref="ForwardResult"/>, whose <see cref="ForwarderError"/> picks the status, page and metric label.
/// </summary>
internal static class ForwarderOutcomes
{
    public static ForwardResult Of(HttpContext context, YarpError error, GatewayTransformer transformer, bool webSocket)
    {
        if (error == YarpError.None)
        {
            return transformer.RefusedResponse is { } refused ? new ForwardResult(ForwarderError.InvalidResponse, refused) : ForwardResult.Success;
        }
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        string reason = Describe(exception, error);
        if (context.RequestAborted.IsCancellationRequested)
        {
            return new ForwardResult(ForwarderError.ClientAborted, reason);
        }
        return new ForwardResult(Classify(error, exception, webSocket), reason);
    }

    private static ForwarderError Classify(YarpError error, Exception? exception, bool webSocket) => error switch
    {
        YarpError.RequestTimedOut or YarpError.ResponseBodyCanceled or YarpError.UpgradeActivityTimeout => ForwarderError.Timeout,
        YarpError.Request or YarpError.RequestCreation or YarpError.RequestBodyDestination or YarpError.NoAvailableDestinations =>
            IsTimeout(exception) ? ForwarderError.Timeout
            : IsInvalidResponse(exception) ? ForwarderError.InvalidResponse
            : ForwarderError.BackendUnreachable,
        YarpError.ResponseHeaders => webSocket ? ForwarderError.UpgradeFailed : ForwarderError.InvalidResponse,
        YarpError.ResponseBodyDestination => IsInvalidResponse(exception) ? ForwarderError.InvalidResponse : ForwarderError.ResponseInterrupted,
        YarpError.UpgradeRequestDestination or YarpError.UpgradeResponseDestination => ForwarderError.ResponseInterrupted,
        // The client's side failed or went away: its request body, its connection, or the switch to a WebSocket.
        _ => ForwarderError.ClientAborted,
    };

    private static bool IsTimeout(Exception? exception) => exception is not null
        && (exception is OperationCanceledException or TimeoutException
            || exception.InnerException is TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut });

    /// <summary>Whether .NET's HTTP client refused the backend's answer as malformed or too large (anywhere in the exception's chain).</summary>
    private static bool IsInvalidResponse(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded }
                or HttpIOException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded })
            {
                return true;
            }
        }
        return false;
    }

    private static string Describe(Exception? exception, YarpError error) => exception switch
    {
        null => error.ToString(),
        { InnerException: { } inner } => $"{error}: {exception.Message} {inner.Message}",
        _ => $"{error}: {exception.Message}",
    };
}
