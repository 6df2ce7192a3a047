namespace Hub.Core.Usage;

/// <summary>
/// How much of their storage users' homes hold, for the admin page and the usage API. Implemented per spawner; a hub
/// whose spawner has none shows no storage figures.
/// </summary>
public interface IHomeStorage
{
    /// <summary>The user's home's size and quota, or <c>null</c> when the user has no home yet.</summary>
    Task<HomeStorageUse?> UseOfAsync(string user, CancellationToken cancellationToken);
}

/// <param name="UsedBytes">Bytes the home holds.</param>
/// <param name="QuotaBytes">The most it may hold, or <c>null</c> when it has no quota (a local folder).</param>
public sealed record HomeStorageUse(long UsedBytes, long? QuotaBytes)
{
    /// <summary>Used share of the quota from which admins are told a home is nearly full.</summary>
    public const double NearlyFull = 0.9;

    public bool IsNearlyFull => QuotaBytes is > 0 && UsedBytes >= NearlyFull * QuotaBytes.Value;
}
