using Hub.Core.Store;

namespace Hub.Core.Culling;

/// <summary>What a server reported about itself (Jupyter's <c>/api/kernels</c>, and <c>/api/status</c> when the culler counts traffic).</summary>
/// <param name="LastActivity">The latest kernel activity; counting traffic, also the server's own last activity (which API calls move).</param>
/// <param name="BusyKernels">Kernels executing right now.</param>
public sealed record ServerActivity(DateTimeOffset? LastActivity, int BusyKernels);

/// <summary>One server to judge, with what the server said about itself if it was asked.</summary>
public sealed record CullCandidate(ServerRecord Server, ServerActivity? Reported = null);

/// <summary>What a cull run does with one server.</summary>
public enum CullAction
{
    Keep,
    Stop,
}

/// <summary>Why.</summary>
public enum CullReason
{
    /// <summary>Not running (stopped, failed, or desired stopped already): nothing to do.</summary>
    NotRunning,

    /// <summary>Starting or stopping: never culled (as jupyterhub-idle-culler never culls a pending server).</summary>
    Pending,

    /// <summary>Active within the idle timeout.</summary>
    Active,

    /// <summary>A kernel is executing: kept even when idle, unless the max age is reached.</summary>
    BusyKernel,

    /// <summary>Idle longer than the idle timeout.</summary>
    Idle,

    /// <summary>Running longer than the max age.</summary>
    MaxAge,
}

/// <param name="Server">The server.</param>
/// <param name="Action">Keep or stop.</param>
/// <param name="Reason">Why.</param>
/// <param name="Idle">How long it has been idle (zero when not running).</param>
public sealed record CullDecision(ServerKey Server, CullAction Action, CullReason Reason, TimeSpan Idle);

/// <summary>
/// The cull decision, a pure function of (servers, now, options). A run calls it twice: first on stored activity
/// alone, which finds the few candidates; then, for those, with what each server reports about itself, so that only
/// candidates cost an HTTP call and a busy kernel can still save its server.
/// </summary>
public static class CullPolicy
{
    public static IReadOnlyList<CullDecision> Decide(IEnumerable<CullCandidate> candidates, DateTimeOffset now, CullerOptions options) =>
        candidates.Select(candidate => Decide(candidate, now, options)).ToList();

    public static CullDecision Decide(CullCandidate candidate, DateTimeOffset now, CullerOptions options)
    {
        var server = candidate.Server;
        if (server.Desired != ServerDesiredState.Running || server.Phase is ServerPhase.Stopped or ServerPhase.Failed)
        {
            return new CullDecision(server.Key, CullAction.Keep, CullReason.NotRunning, TimeSpan.Zero);
        }
        if (server.Phase != ServerPhase.Running)
        {
            return new CullDecision(server.Key, CullAction.Keep, CullReason.Pending, TimeSpan.Zero);
        }

        var lastActivity = Latest(server.LastActivity, candidate.Reported?.LastActivity) ?? server.Started ?? server.Requested ?? now;
        var idle = Positive(now - lastActivity);
        var age = server.Started is { } started ? Positive(now - started) : TimeSpan.Zero;

        if (options.MaxAge > TimeSpan.Zero && age >= options.MaxAge)
        {
            return new CullDecision(server.Key, CullAction.Stop, CullReason.MaxAge, idle);
        }
        if (idle < options.IdleTimeout)
        {
            return new CullDecision(server.Key, CullAction.Keep, CullReason.Active, idle);
        }
        if (candidate.Reported is { BusyKernels: > 0 })
        {
            return new CullDecision(server.Key, CullAction.Keep, CullReason.BusyKernel, idle);
        }
        return new CullDecision(server.Key, CullAction.Stop, CullReason.Idle, idle);
    }

    /// <summary>
    /// Accounts to remove: no activity for <see cref="CullerOptions.RemoveUsersInactiveFor"/> (last activity, else
    /// creation), not an admin, and no server that is running or on its way. Files are never part of this.
    /// </summary>
    public static IReadOnlyList<string> UsersToRemove(IEnumerable<UserRecord> users, IEnumerable<ServerRecord> servers, DateTimeOffset now, CullerOptions options)
    {
        if (options.RemoveUsersInactiveFor <= TimeSpan.Zero)
        {
            return [];
        }
        var busy = servers
            .Where(s => s.Desired == ServerDesiredState.Running || s.Phase is not (ServerPhase.Stopped or ServerPhase.Failed))
            .Select(s => s.User)
            .ToHashSet(StringComparer.Ordinal);
        return users
            .Where(u => !u.Admin && !busy.Contains(u.Name) && now - (u.LastActivity ?? u.Created) >= options.RemoveUsersInactiveFor)
            .Select(u => u.Name)
            .ToList();
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);

    // A clock running slightly behind a writer's must not produce negative idle times.
    private static TimeSpan Positive(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}
