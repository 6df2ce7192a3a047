using System.Collections.Concurrent;

namespace Hub.Gateway.Auth;

/// <summary>
/// Remembers lookups (hits and misses alike) for a short time, and lets concurrent callers for one key share a single
/// lookup. Failed lookups are not remembered. Expired entries are swept as new ones arrive, so the size stays bounded
/// by the keys seen within one lifetime.
/// </summary>
/// <remarks>
/// A lookup has <see cref="CachePolicy.Deadline"/>; when it fails or misses it, the answer of the last successful lookup
/// of the key is served if it is younger than <see cref="CachePolicy.StaleWindow"/>, and while the store keeps failing
/// (<see cref="CredentialStoreState"/>) such answers are served at once while one lookup per key runs in the background.
/// A key never answered before fails after the deadline: the caller answers 503.
/// </remarks>
internal sealed class ExpiringCache<TValue>(TimeSpan lifetime, CachePolicy policy, TimeProvider time) where TValue : class
{
    private const int SweepEvery = 1024;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);
    private int _additions;

    public ValueTask<TValue?> GetAsync(string key, Func<string, CancellationToken, Task<TValue?>> lookup)
    {
        long now = time.GetTimestamp();
        bool found = _entries.TryGetValue(key, out var entry);
        bool current = found && now < entry!.ExpiresAt && !entry.Value.IsFaulted && !entry.Value.IsCanceled;
        if (current && entry!.Value.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(entry.Value.Result);
        }
        if (policy.State.Failing && Stale(key, now) is { } stale)
        {
            if (!found || entry!.Value.IsCompleted)
            {
                // One check per key keeps running, so the cache learns at once when the store is back.
                _ = Start(key, lookup, now).ContinueWith(static failed => _ = failed.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            policy.OnStale();
            return ValueTask.FromResult(stale.Value);
        }
        return AwaitAsync(key, current ? entry!.Value : Start(key, lookup, now), now);
    }

    /// <summary>Forgets <paramref name="key"/> (after the caller learned the entry is wrong).</summary>
    public void Remove(string key)
    {
        _entries.TryRemove(key, out _);
        _known.TryRemove(key, out _);
    }

    private async ValueTask<TValue?> AwaitAsync(string key, Task<TValue?> lookup, long now)
    {
        try
        {
            return await lookup.ConfigureAwait(false);
        }
        catch (Exception) when (Stale(key, now) is { } stale)
        {
            policy.OnStale();
            return stale.Value;
        }
    }

    private Known? Stale(string key, long now) =>
        _known.TryGetValue(key, out var known) && time.GetElapsedTime(known.ValidatedAt, now) <= policy.StaleWindow ? known : null;

    private Task<TValue?> Start(string key, Func<string, CancellationToken, Task<TValue?>> lookup, long now)
    {
        var fresh = new Entry(LookupAsync(key, lookup), now + (long)(lifetime.TotalSeconds * time.TimestampFrequency));
        _entries[key] = fresh;
        if (Interlocked.Increment(ref _additions) % SweepEvery == 0)
        {
            Sweep(now);
        }
        return fresh.Value;
    }

    private async Task<TValue?> LookupAsync(string key, Func<string, CancellationToken, Task<TValue?>> lookup)
    {
        try
        {
            // Real time, not the injected clock: the deadline bounds waiting on a socket.
            using var deadline = new CancellationTokenSource(policy.Deadline);
            var value = await lookup(key, deadline.Token).WaitAsync(policy.Deadline).ConfigureAwait(false);
            policy.State.Succeeded();
            if (policy.StaleWindow > TimeSpan.Zero)
            {
                _known[key] = new Known(value, time.GetTimestamp());
            }
            return value;
        }
        catch
        {
            policy.State.Failed();
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
        foreach (var (key, known) in _known)
        {
            if (time.GetElapsedTime(known.ValidatedAt, now) > policy.StaleWindow)
            {
                _known.TryRemove(new KeyValuePair<string, Known>(key, known));
            }
        }
    }

    private sealed record Entry(Task<TValue?> Value, long ExpiresAt);

    /// <summary>The answer of the last successful lookup of a key, and when it was made.</summary>
    private sealed record Known(TValue? Value, long ValidatedAt);
}

/// <summary>How the credential caches wait on the store and what they serve when it does not answer.</summary>
/// <param name="Deadline">How long one lookup may take.</param>
/// <param name="StaleWindow">How long after its last successful check a credential may be served while the store does not answer (zero: never).</param>
/// <param name="State">Whether lookups are failing now, shared by the caches.</param>
/// <param name="OnStale">Called for every answer served from memory (metrics, logs).</param>
internal sealed record CachePolicy(TimeSpan Deadline, TimeSpan StaleWindow, CredentialStoreState State, Action OnStale);
