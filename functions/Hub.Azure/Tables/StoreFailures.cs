using Azure;

namespace Hub.Azure.Tables;

/// <summary>
/// Tells a store that is unavailable for now (no answer in time, throttled, a server error, a network failure) from
/// a bug or a bad request: the former is worth a 503 with <c>Retry-After</c>, the latter is not.
/// </summary>
public static class StoreFailures
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, says the store is unavailable for now.</summary>
    /// <param name="callerCancelled">Whether the caller itself gave up (a client that went away): that is not the store's fault.</param>
    public static bool IsUnavailable(Exception exception, bool callerCancelled = false)
    {
        switch (exception)
        {
            case StoreDeadlineExceededException:
                return true;
            case RequestFailedException failed when failed.Status is 0 or 408 or 429 or >= 500:
                return true;
            case HttpRequestException or IOException or TimeoutException:
                return true;
            case OperationCanceledException:
                // Azure.Core reports a try's network timeout as a cancellation the caller never asked for.
                return !callerCancelled;
            case AggregateException aggregate:
                return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(inner => IsUnavailable(inner, callerCancelled));
        }
        return exception.InnerException is { } inner2 && IsUnavailable(inner2, callerCancelled);
    }
}
