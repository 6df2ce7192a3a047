using Hub.Core.Configuration;

namespace Hub.Core.Culling;

/// <summary>When idle servers are stopped (jupyterhub-idle-culler's options, as app settings). Culling never deletes files.</summary>
public sealed class CullerOptions : ISettingsSection
{
    public static string Section => "Culler";

    /// <summary>Stop idle servers at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A server idle this long is stopped. Idle time is now minus its last activity (from the gateway or the server
    /// itself), or minus its start time when it never had any.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// What counts as activity: <see cref="Culling.ActivitySource.User"/> (what a person does; an open tab that only
    /// polls does not keep its server) or <see cref="Culling.ActivitySource.Traffic"/> (every request and WebSocket
    /// frame, as JupyterHub's proxy counts). Read by the gateway, which decides what it records, and by the culler,
    /// which decides what it asks the server. Busy kernels and the server's own activity reports count in both.
    /// </summary>
    public ActivitySource ActivitySource { get; set; } = ActivitySource.User;

    /// <summary>A server running this long is stopped even when active or busy; zero turns the limit off.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How many servers one run asks about or stops at the same time. Each ask goes to a different server and each stop
    /// is one conditional write to that server's own table partition; the run calls no Azure Resource Manager API (the
    /// reconcile loop removes stopped servers, paced by its own ARM limiter), so this bounds only those requests.
    /// </summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// Remove user accounts (never their files) that have had no activity and no running server for this long; zero
    /// keeps accounts forever. Admins are never removed.
    /// </summary>
    public TimeSpan RemoveUsersInactiveFor { get; set; } = TimeSpan.Zero;

    public void Validate(SettingsProblems problems)
    {
        if (IdleTimeout < TimeSpan.FromMinutes(1))
        {
            problems.Add("Culler__IdleTimeout", $"must be at least 1 minute, not {IdleTimeout}");
        }
        if (MaxAge < TimeSpan.Zero || (MaxAge > TimeSpan.Zero && MaxAge < IdleTimeout))
        {
            problems.Add("Culler__MaxAge", $"must be zero (off) or at least Culler__IdleTimeout ({IdleTimeout}), not {MaxAge}");
        }
        if (Concurrency is < 1 or > 100)
        {
            problems.Add("Culler__Concurrency", $"must be from 1 to 100, not {Concurrency}");
        }
        if (RemoveUsersInactiveFor < TimeSpan.Zero || (RemoveUsersInactiveFor > TimeSpan.Zero && RemoveUsersInactiveFor < TimeSpan.FromDays(1)))
        {
            problems.Add("Culler__RemoveUsersInactiveFor", $"must be zero (off) or at least 1 day, not {RemoveUsersInactiveFor}");
        }
    }
}
