namespace Hub.Testing;

/// <summary>
/// The real clock moved forward by a fixed amount: a job built with it sees servers as idle for that much longer,
/// while the servers (real Jupyter processes) keep their real clocks. Timestamps for elapsed time stay real.
/// </summary>
public sealed class ShiftedTimeProvider(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}
