namespace Hub.Azure.Arm;

/// <summary>
/// ARM answered with a server error (500, 502, 503 or 504) after the pipeline's own retries: an outage to wait out, not
/// a refusal. <see cref="RetryAfter"/> is ARM's hint, when it gave one.
/// </summary>
public sealed class ArmUnavailableException(ArmResponse response, string operation)
    : Exception($"ARM answered {operation} with {response.Describe()}")
{
    public TimeSpan? RetryAfter { get; } = response.RetryAfter;
}
