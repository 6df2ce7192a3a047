using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Arm;

/// <summary>
/// Pipeline options of the ARM client. Transient failures (5xx, timeouts) are retried inside the pipeline while the
/// retry fits the call's time limit (ARM's Retry-After included); then the last answer is returned, so that the caller
/// sees ARM's 5xx and its Retry-After rather than a timeout. 429 is not retried, because a throttled spawn is a waiting
/// state the reconcile loop shows and retries later, not a request that holds a worker for the whole Retry-After.
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
        RetryPolicy = new NoThrottleRetryPolicy(Retry.MaxRetries, DelayStrategy.CreateExponentialDelayStrategy(Retry.Delay, Retry.MaxDelay), Retry.Delay, Retry.MaxDelay);
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

    private const string DeadlineProperty = "hub.arm.deadline";
    private const string RetriesProperty = "hub.arm.retries";

    /// <summary>Records when the call must be done, for the retry policy.</summary>
    internal static void SetDeadline(HttpMessage message, TimeSpan timeout) =>
        message.SetProperty(DeadlineProperty, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));

    private sealed class NoThrottleRetryPolicy(int maxRetries, DelayStrategy delay, TimeSpan firstDelay, TimeSpan maxDelay) : RetryPolicy(maxRetries, delay)
    {
        /// <summary>A retry that would have less than this left after its wait is not worth starting.</summary>
        private static readonly TimeSpan MinimumTry = TimeSpan.FromMilliseconds(500);

        protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
            !IsThrottled(message) && FitsDeadline(message) && base.ShouldRetry(message, exception);

        protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
            IsThrottled(message) || !FitsDeadline(message) ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);

        private static bool IsThrottled(HttpMessage message) => message.HasResponse && message.Response.Status == 429;

        /// <summary>Whether the longest wait before the next try (back-off with jitter, or ARM's Retry-After) leaves time for it.</summary>
        private bool FitsDeadline(HttpMessage message)
        {
            if (!message.TryGetProperty(DeadlineProperty, out object? value) || value is not long at)
            {
                return true;
            }
            var remaining = TimeSpan.FromSeconds((at - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            // Azure.Core does not show the retry number; the policy counts the retries it allowed.
            int retries = message.TryGetProperty(RetriesProperty, out object? counted) && counted is int n ? n : 0;
            var backOff = TimeSpan.FromTicks(Math.Min(maxDelay.Ticks, firstDelay.Ticks * (1L << Math.Min(retries, 20))) * 6 / 5);
            var asked = message.HasResponse && ArmResponse.ReadRetryAfter(message.Response) is { } hint ? hint : TimeSpan.Zero;
            if (remaining <= (asked > backOff ? asked : backOff) + MinimumTry)
            {
                return false;
            }
            message.SetProperty(RetriesProperty, retries + 1);
            return true;
        }
    }
}
