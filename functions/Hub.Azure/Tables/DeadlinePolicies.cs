using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Tables;

/// <summary>The deadline of one store call within a <see cref="StoreDeadline"/> scope, kept on the call's message.</summary>
internal readonly record struct CallDeadline(long At, TimeSpan Budget)
{
    private const string Property = "hub.store.deadline";

    public TimeSpan Remaining => TimeSpan.FromSeconds((At - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);

    public static CallDeadline? Of(HttpMessage message) =>
        message.TryGetProperty(Property, out object? value) && value is CallDeadline deadline ? deadline : null;

    /// <summary>Sets the call's deadline when a scope is current; runs once per call, before the retries.</summary>
    public static void Start(HttpMessage message)
    {
        if (StoreDeadline.CallBudget is { } budget)
        {
            message.SetProperty(Property, new CallDeadline(Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency), budget));
        }
    }
}

/// <summary>Starts each call's clock (<see cref="CallDeadline"/>) when it is made within a <see cref="StoreDeadline"/> scope.</summary>
internal sealed class DeadlineCallPolicy : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        if (CallDeadline.Of(message) is null)
        {
            CallDeadline.Start(message);
        }
    }
}

/// <summary>
/// Holds each try of a store call to its <see cref="CallDeadline"/>: the try's network timeout is cut to what is left,
/// and a try that would start after the deadline fails at once.
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
        if (CallDeadline.Of(message) is not { } deadline)
        {
            return;
        }
        var remaining = deadline.Remaining;
        if (remaining < MinimumTry)
        {
            throw new StoreDeadlineExceededException(deadline.Budget);
        }
        if (message.NetworkTimeout is not { } timeout || remaining < timeout)
        {
            message.NetworkTimeout = remaining;
        }
    }
}

/// <summary>
/// Azure.Core's retries (exponential back-off; throttling, 5xx and network failures retried; a <c>Retry-After</c> or
/// <c>x-ms-retry-after-ms</c> of the service waited for), except that a call with a <see cref="CallDeadline"/> does
/// not retry when the wait would end after it: the caller learns at once that the store is busy.
/// </summary>
internal sealed class DeadlineRetryPolicy(int maxRetries, DelayStrategy delay) : RetryPolicy(maxRetries, delay)
{
    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        base.ShouldRetry(message, exception) && FitsDeadline(message);

    protected override async ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        await base.ShouldRetryAsync(message, exception).ConfigureAwait(false) && FitsDeadline(message);

    private static bool FitsDeadline(HttpMessage message) =>
        CallDeadline.Of(message) is not { } deadline || deadline.Remaining > ServerDelay(message);

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
