using System.Collections.Concurrent;

namespace Hub.Core.Auth;

/// <summary>
/// Counts failed logins per user name and per client address in a fixed window, and refuses further attempts
/// (even with the right password) once either count reaches its limit, until the window has passed. Counts are
/// kept per control-plane instance: several instances each allow the limit. Memory is bounded: at most
/// <see cref="MaxTrackedKeys"/> keys are tracked, expired ones are swept on the way.
/// </summary>
public sealed class LoginRateLimiter(AuthOptions options, TimeProvider time)
{
    public const int MaxTrackedKeys = 100_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>When the attempt must wait, how long; <c>null</c> when it may go ahead.</summary>
    public TimeSpan? RetryAfter(string user, string client)
    {
        var now = time.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var (key, limit) in Keys(user, client))
        {
            if (_windows.TryGetValue(key, out var window) && window.Count >= limit && window.Ends > now)
            {
                var remaining = window.Ends - now;
                wait = wait is null || remaining > wait ? remaining : wait;
            }
        }
        return wait;
    }

    /// <summary>Records a failed attempt for both the user name and the client.</summary>
    public void RecordFailure(string user, string client)
    {
        var now = time.GetUtcNow();
        SweepIfDue(now);
        foreach (var (key, _) in Keys(user, client))
        {
            if (_windows.Count >= MaxTrackedKeys && !_windows.ContainsKey(key))
            {
                continue;
            }
            _windows.AddOrUpdate(key,
                _ => new Window(now + options.FailedLoginWindow, 1),
                (_, old) => old.Ends <= now ? new Window(now + options.FailedLoginWindow, 1) : old with { Count = old.Count + 1 });
        }
    }

    private (string Key, int Limit)[] Keys(string user, string client) =>
        [("u\n" + user, options.FailedLoginLimitPerUser), ("c\n" + client, options.FailedLoginLimitPerClient)];

    private void SweepIfDue(DateTimeOffset now)
    {
        long due = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweep, now.UtcTicks + options.FailedLoginWindow.Ticks, due) != due)
        {
            return;
        }
        foreach (var (key, window) in _windows)
        {
            if (window.Ends <= now)
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }
    }

    private sealed record Window(DateTimeOffset Ends, int Count);
}
