using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Tables;

/// <summary>
/// Holds each try of a store call to the scope's <see cref="StoreDeadline"/>: the try's network timeout is cut to what
/// is left, and a try that would start after the deadline fails at once.
/// </summary>
internal sealed class DeadlineTryPolicy : HttpPipelinePolicy
{
    /// <summary>Below this, a try is not worth starting (a round trip to Table storage takes longer).</summary>
    private static readonly TimeSpan MinimumTry = TimeSpan.FromMilliseconds(50);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Limit(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Limit(message);
        return ProcessNextAsync(message, pipeline);
    }

    private static void Limit(HttpMessage message)
    {
        if (StoreDeadline.Remaining is not { } remaining)
        {
            return;
        }
        if (remaining < MinimumTry)
        {
            throw new StoreDeadlineExceededException(StoreDeadline.Budget ?? remaining);
        }
        if (message.NetworkTimeout is not { } timeout || remaining < timeout)
        {
            message.NetworkTimeout = remaining;
        }
    }
}

/// <summary>
/// Azure.Core's retries (exponential back-off; throttling, 5xx and network failures retried; a <c>Retry-After</c> or
/// <c>x-ms-retry-after-ms</c> of the service waited for), except that within a <see cref="StoreDeadline"/> a retry
/// whose wait would end after the deadline is not made: the caller learns at once that the store is busy.
/// </summary>
internal sealed class DeadlineRetryPolicy(int maxRetries, DelayStrategy delay) : RetryPolicy(maxRetries, delay)
{
    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        base.ShouldRetry(message, exception) && FitsDeadline(message);

    protected override async ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        await base.ShouldRetryAsync(message, exception).ConfigureAwait(false) && FitsDeadline(message);

    private static bool FitsDeadline(HttpMessage message) =>
        StoreDeadline.Remaining is not { } remaining || remaining > ServerDelay(message);

    /// <summary>The wait the service asked for, as Azure.Core reads it; zero when it asked for none.</summary>
    private static TimeSpan ServerDelay(HttpMessage message)
    {
        if (!message.HasResponse)
        {
            return TimeSpan.Zero;
        }
        var headers = message.Response.Headers;
        if (headers.TryGetValue("x-ms-retry-after-ms", out string? ms) || headers.TryGetValue("retry-after-ms", out ms))
        {
            return int.TryParse(ms, out int value) ? TimeSpan.FromMilliseconds(value) : TimeSpan.Zero;
        }
        if (headers.TryGetValue("Retry-After", out string? after))
        {
            if (int.TryParse(after, out int seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
            if (DateTimeOffset.TryParse(after, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                return at - DateTimeOffset.UtcNow;
            }
        }
        return TimeSpan.Zero;
    }
}
