using Microsoft.Extensions.Logging;

namespace Hub.Azure.Arm;

/// <summary>ARM asked to wait (429 with Retry-After), or this process's pacing would make the call wait longer than a step should.</summary>
public sealed class ArmThrottledException(TimeSpan retryAfter, string message) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Puts <see cref="ArmRateLimiter"/> in front of each call: a short wait is waited out, a long one becomes an
/// <see cref="ArmThrottledException"/> (a waiting state for the server, not a blocked worker), and a 429 from ARM
/// slows the operation kind down (see <see cref="ArmRateLimiter.Backoff"/>).
/// </summary>
internal sealed class ArmCallPacer(ArmRateLimiter limiter, TimeProvider time, ILogger logger)
{
    /// <summary>Waits up to this long inside a step; longer waits are handed back to the reconcile loop.</summary>
    public static readonly TimeSpan LongestInlineWait = TimeSpan.FromSeconds(1);

    /// <summary>Retry-After assumed when a 429 carries none.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Sends one ARM call when its slot comes (throwing if that is far off), and turns a 429 into an <see cref="ArmThrottledException"/>.</summary>
    /// <param name="key">The resource and operation, so that a caller coming back finds its slot kept.</param>
    public async Task<ArmResponse> CallAsync(ArmOperationKind kind, string key, string operation, Func<CancellationToken, Task<ArmResponse>> send, CancellationToken cancellationToken)
    {
        await WaitOrThrowAsync(kind, key, cancellationToken).ConfigureAwait(false);
        var response = await send(cancellationToken).ConfigureAwait(false);
        ThrowIfThrottled(kind, key, response, operation);
        return response;
    }

    /// <summary>Returns when the call may be sent; throws when the wait would be long.</summary>
    private async Task WaitOrThrowAsync(ArmOperationKind kind, string key, CancellationToken cancellationToken)
    {
        for (int i = 0; i < 4; i++)
        {
            var wait = limiter.Reserve(kind, key);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }
            if (wait > LongestInlineWait)
            {
                throw new ArmThrottledException(wait, $"the hub paces its ARM {kind.ToString().ToLowerInvariant()} requests; next slot in {wait.TotalSeconds:0.0} s");
            }
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>On a 429: slows the kind down, keeps a new slot for <paramref name="key"/>, and throws with the wait for it.</summary>
    private void ThrowIfThrottled(ArmOperationKind kind, string key, ArmResponse response, string operation)
    {
        if (response.Status != 429)
        {
            return;
        }
        var retryAfter = response.RetryAfter ?? DefaultRetryAfter;
        limiter.Backoff(kind, retryAfter, key);
        ArmLog.Throttled(logger, kind, operation, retryAfter);
        var slot = limiter.Reserve(kind, key);
        throw new ArmThrottledException(slot > TimeSpan.Zero ? slot : TimeSpan.FromMilliseconds(100), $"ARM throttled {operation}: {response.Describe()}");
    }
}
