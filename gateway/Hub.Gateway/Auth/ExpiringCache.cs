using System.Collections.Concurrent;

namespace Hub.Gateway.Auth;

/// <summary>
/// Remembers lookups (hits and misses alike) for a short time, and lets concurrent callers for one key share a single
/// lookup. Failed lookups are not remembered. Expired entries are swept as new ones arrive, so the size stays bounded
/// by the keys seen within one lifetime.
/// </summary>
internal sealed class ExpiringCache<TValue>(TimeSpan lifetime, TimeProvider time) where TValue : class
{
    private const int SweepEvery = 1024;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _additions;

    public Task<TValue?> GetAsync(string key, Func<string, Task<TValue?>> lookup)
    {
        long now = time.GetTimestamp();
        if (_entries.TryGetValue(key, out var entry) && now < entry.ExpiresAt && !entry.Value.IsFaulted && !entry.Value.IsCanceled)
        {
            return entry.Value;
        }
        var fresh = new Entry(LookupAsync(key, lookup), now + (long)(lifetime.TotalSeconds * time.TimestampFrequency));
        _entries[key] = fresh;
        if (Interlocked.Increment(ref _additions) % SweepEvery == 0)
        {
            Sweep(now);
        }
        return fresh.Value;
    }

    /// <summary>Forgets <paramref name="key"/> (after the caller learned the entry is wrong).</summary>
    public void Remove(string key) => _entries.TryRemove(key, out _);

    private async Task<TValue?> LookupAsync(string key, Func<string, Task<TValue?>> lookup)
    {
        try
        {
            return await lookup(key).ConfigureAwait(false);
        }
        catch
        {
            _entries.TryRemove(key, out _);
            throw;
        }
    }

    private void Sweep(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (now >= entry.ExpiresAt)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed record Entry(Task<TValue?> Value, long ExpiresAt);
}
