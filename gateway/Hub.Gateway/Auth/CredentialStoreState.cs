namespace Hub.Gateway.Auth;

/// <summary>
/// Whether the store answers the gateway's credential lookups, shared by its credential caches: after a lookup fails
/// or misses its deadline, credentials validated within <see cref="Hosting.GatewayOptions.StaleCredentialWindow"/> are
/// served at once (and checked again in the background) until a lookup succeeds. <c>/health</c> reports it.
/// </summary>
public sealed class CredentialStoreState(TimeProvider time)
{
    private long _lastFailureTicks;
    private long _lastSuccessTicks;
    private long _lastStaleTicks;
    private long _staleServed;

    /// <summary>The last lookup failed or missed its deadline, and none has succeeded since.</summary>
    public bool Failing => Interlocked.Read(ref _lastFailureTicks) > Interlocked.Read(ref _lastSuccessTicks);

    /// <summary>When a lookup last failed or missed its deadline; <c>null</c> if never.</summary>
    public DateTimeOffset? LastFailure => Interlocked.Read(ref _lastFailureTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Credentials served from memory because the store did not answer, since the start.</summary>
    public long StaleServed => Interlocked.Read(ref _staleServed);

    public void Succeeded() => Interlocked.Exchange(ref _lastSuccessTicks, Math.Max(time.GetUtcNow().UtcTicks, Interlocked.Read(ref _lastFailureTicks) + 1));

    public void Failed() => Interlocked.Exchange(ref _lastFailureTicks, Math.Max(time.GetUtcNow().UtcTicks, Interlocked.Read(ref _lastSuccessTicks) + 1));

    /// <summary>Counts a credential served from memory; true when it is the first for a while (worth a log line).</summary>
    public bool ServedStale(TimeSpan logEvery)
    {
        Interlocked.Increment(ref _staleServed);
        long now = time.GetUtcNow().UtcTicks;
        long last = Interlocked.Exchange(ref _lastStaleTicks, now);
        return now - last >= logEvery.Ticks;
    }
}
