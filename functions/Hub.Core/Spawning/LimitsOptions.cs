using Hub.Core.Configuration;

namespace Hub.Core.Spawning;

/// <summary>
/// Limits on spawning (JupyterHub's <c>concurrent_spawn_limit</c>, <c>active_server_limit</c>, <c>start_timeout</c>,
/// <c>http_timeout</c>). Over the concurrent-spawn limit a start waits in a visible queue; over the active-server limit
/// it is refused with 429 and Retry-After. Neither loses a request.
/// </summary>
public sealed class LimitsOptions : ISettingsSection
{
    public static string Section => "Limits";

    /// <summary>Servers being created at once; more wait in the queue, in the order they asked. 0: no limit.</summary>
    public int ConcurrentSpawns { get; set; } = 100;

    /// <summary>Servers queued, starting or running at once; a start beyond is refused (429). 0: no limit.</summary>
    public int ActiveServers { get; set; }

    /// <summary>How long a start may take from leaving the queue to answering HTTP, all attempts included.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a started server may take to answer HTTP on its status URL.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts per start: a failed attempt (exited process, failed container group) is removed and retried.</summary>
    public int StartAttempts { get; set; } = 3;

    /// <summary>The Retry-After given with a 429 when the active-server limit is reached.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate(SettingsProblems problems)
    {
        if (ConcurrentSpawns < 0)
        {
            problems.Add("Limits__ConcurrentSpawns", $"must be 0 (no limit) or more, not {ConcurrentSpawns}");
        }
        if (ActiveServers < 0)
        {
            problems.Add("Limits__ActiveServers", $"must be 0 (no limit) or more, not {ActiveServers}");
        }
        if (StartTimeout < TimeSpan.FromSeconds(10) || StartTimeout > TimeSpan.FromHours(2))
        {
            problems.Add("Limits__StartTimeout", $"must be from 10 seconds to 2 hours, not {StartTimeout}");
        }
        if (HttpTimeout < TimeSpan.FromSeconds(1) || HttpTimeout > TimeSpan.FromHours(1))
        {
            problems.Add("Limits__HttpTimeout", $"must be from 1 second to 1 hour, not {HttpTimeout}");
        }
        if (StartAttempts is < 1 or > 10)
        {
            problems.Add("Limits__StartAttempts", $"must be from 1 to 10, not {StartAttempts}");
        }
        if (RetryAfter < TimeSpan.FromSeconds(1) || RetryAfter > TimeSpan.FromHours(1))
        {
            problems.Add("Limits__RetryAfter", $"must be from 1 second to 1 hour, not {RetryAfter}");
        }
    }
}
