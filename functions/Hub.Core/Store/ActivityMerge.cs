namespace Hub.Core.Store;

/// <summary>
/// The one rule for writing a server's activity: it only moves forward, and its kind goes with it, so gateway
/// replicas, the culler and the server's own reports can write in any order without losing the latest.
/// </summary>
public static class ActivityMerge
{
    /// <summary>The record with <paramref name="at"/> as its last activity, or <c>null</c> when it already has a later (or the same) time.</summary>
    public static ServerRecord? Forward(ServerRecord record, DateTimeOffset at, ActivityKind kind) =>
        record.LastActivity >= at ? null : record with { LastActivity = at, LastActivityKind = kind };
}
