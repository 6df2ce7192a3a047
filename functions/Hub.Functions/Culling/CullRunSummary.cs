namespace Hub.Functions.Culling;

/// <summary>What one cull run found and did; logged, exported as metrics and returned as the invocation's log lines.</summary>
/// <param name="Active">Active server records read (running and pending).</param>
/// <param name="Pending">Servers starting or stopping: skipped.</param>
/// <param name="Probed">Servers idle by stored activity, asked about their own activity.</param>
/// <param name="ProbeFailures">Of those, servers that could not be asked (judged on stored activity).</param>
/// <param name="KeptActive">Idle by stored activity, but the server reported newer activity.</param>
/// <param name="KeptBusy">Idle, but a kernel was executing.</param>
/// <param name="CulledIdle">Stopped for being idle longer than the idle timeout.</param>
/// <param name="CulledMaxAge">Stopped for running longer than the max age.</param>
/// <param name="StopFailures">Stops that failed (tried again on the next run).</param>
/// <param name="UsersRemoved">Long-inactive accounts removed (files kept).</param>
/// <param name="Elapsed">How long the run took.</param>
/// <param name="Phases">How long reading, asking and stopping took.</param>
public sealed record CullRunSummary(
    int Active, int Pending, int Probed, int ProbeFailures, int KeptActive, int KeptBusy,
    int CulledIdle, int CulledMaxAge, int StopFailures, int UsersRemoved, TimeSpan Elapsed, CullPhases Phases)
{
    public int Culled => CulledIdle + CulledMaxAge;

    /// <summary>The summary as log lines (the Functions host shows them in the invocation log).</summary>
    public IReadOnlyList<string> ToLines() =>
    [
        $"Active servers: {Active} ({Pending} pending, skipped).",
        $"Asked {Probed} idle-looking servers about their own activity: {KeptActive} had newer activity, {KeptBusy} a busy kernel, {ProbeFailures} did not answer.",
        $"Culled {Culled}: {CulledIdle} idle, {CulledMaxAge} past the max age; {StopFailures} stops failed.",
        $"Inactive users removed: {UsersRemoved}.",
        $"Took {Elapsed.TotalMilliseconds:0} ms (reading {Phases.Read.TotalMilliseconds:0}, asking {Phases.Ask.TotalMilliseconds:0}, stopping {Phases.Stop.TotalMilliseconds:0}).",
    ];
}

/// <summary>Where a cull run spent its time.</summary>
public sealed record CullPhases(TimeSpan Read, TimeSpan Ask, TimeSpan Stop);
