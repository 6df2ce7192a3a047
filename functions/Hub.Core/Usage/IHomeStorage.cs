namespace Hub.Core.Usage;

/// <summary>
/// Measures how much of their storage users' homes hold, for the admin page and the usage API. Implemented per
/// spawner (a local folder, an Azure Files share). Called only by <see cref="HomeStorageSurvey"/>, which stores each
/// figure with its time on the user record, so that a page view never measures anything.
/// </summary>
public interface IHomeStorage
{
    /// <summary>Whether this spawner's homes can be measured at all; when not, no figures are shown.</summary>
    bool Measures => true;

    /// <summary>The user's home's size and quota, or <c>null</c> when the user has no home yet.</summary>
    Task<HomeStorageUse?> UseOfAsync(string user, CancellationToken cancellationToken);
}

/// <param name="UsedBytes">Bytes the home holds.</param>
/// <param name="QuotaBytes">The most it may hold, or <c>null</c> when it has no quota (a local folder).</param>
public sealed record HomeStorageUse(long UsedBytes, long? QuotaBytes)
{
    /// <summary>Used share of the quota from which admins are told a home is nearly full.</summary>
    public const double NearlyFull = 0.9;

    /// <summary>False when measuring stopped early (a local folder too large to add up in time): a lower bound.</summary>
    public bool Complete { get; init; } = true;

    public bool IsNearlyFull => QuotaBytes is > 0 && UsedBytes >= NearlyFull * QuotaBytes.Value;

    /// <summary>Used share of the quota (0 to 1 and beyond), or <c>null</c> without a quota.</summary>
    public double? UsedShare => QuotaBytes is > 0 ? (double)UsedBytes / QuotaBytes.Value : null;
}
