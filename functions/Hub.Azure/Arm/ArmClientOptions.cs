using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Arm;

/// <summary>
/// Pipeline options of the ARM client. Transient failures (5xx, timeouts) are retried inside the pipeline; 429 is
/// not, because a throttled spawn is a waiting state the reconcile loop shows and retries later, not a request that
/// holds a worker for the whole Retry-After.
/// </summary>
public sealed class ArmClientOptions : ClientOptions
{
    public ArmClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(8);
        // ARM answers in seconds (long operations are polled, not waited on); a try stuck longer is given up and retried.
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        RetryPolicy = new NoThrottleRetryPolicy(Retry.MaxRetries, DelayStrategy.CreateExponentialDelayStrategy(Retry.Delay, Retry.MaxDelay));
        // Bodies carry secure values (the server token, the storage key) and user names: never log them.
        Diagnostics.IsLoggingContentEnabled = false;
        Diagnostics.IsTelemetryEnabled = false;
    }

    /// <summary>
    /// How long one call may take in all, tries and retries included; then it fails with a <see cref="TimeoutException"/>
    /// and the reconcile loop tries again later, instead of a worker waiting on a hung ARM.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Clock for token expiry and rate limits; tests may move it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    private sealed class NoThrottleRetryPolicy(int maxRetries, DelayStrategy delay) : RetryPolicy(maxRetries, delay)
    {
        protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
            !IsThrottled(message) && base.ShouldRetry(message, exception);

        protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
            IsThrottled(message) ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);

        private static bool IsThrottled(HttpMessage message) => message.HasResponse && message.Response.Status == 429;
    }
}
