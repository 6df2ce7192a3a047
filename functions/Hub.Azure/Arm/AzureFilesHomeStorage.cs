using System.Text.Json;
using Hub.Core.Usage;
using Microsoft.Extensions.Logging;

namespace Hub.Azure.Arm;

/// <summary>
/// The size of a user's Azure Files share, from ARM (FileShares_Get with <c>$expand=stats</c>: <c>shareUsageBytes</c>,
/// which Azure updates with some delay), and its quota (<c>shareQuota</c>, GiB). Homes are made through ARM (see
/// <see cref="ContainerInstanceSpawner"/>), so the same identity and pacing serve here; no account key or Files
/// data-plane call is needed. Reads are spaced by <see cref="Spacing"/> so that a survey of many homes leaves most of
/// ARM's read budget to starts.
/// </summary>
public sealed class AzureFilesHomeStorage : IHomeStorage
{
    /// <summary>The least time between two share reads of this process: at most 10 per second, under half of ARM's 25.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);

    private const long BytesPerGiB = 1L << 30;

    private readonly ContainerInstancesOptions _options;
    private readonly ContainerGroupOperations _operations;
    private readonly ArmCallPacer _pacer;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _spacing = new(1, 1);
    private DateTimeOffset _nextRead = DateTimeOffset.MinValue;

    public AzureFilesHomeStorage(ArmClient arm, ContainerInstancesOptions options, ArmRateLimiter limiter, TimeProvider time, ILogger<AzureFilesHomeStorage> logger)
    {
        _options = options;
        _operations = new ContainerGroupOperations(arm, options);
        _pacer = new ArmCallPacer(limiter, time, logger);
        _time = time;
    }

    public async Task<HomeStorageUse?> UseOfAsync(string user, CancellationToken cancellationToken)
    {
        string share = ContainerGroupDefinition.ShareName(_options, user);
        await WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        ArmResponse response;
        try
        {
            response = await _pacer.CallAsync(ArmOperationKind.Read, "share-stats/" + share, "read file share statistics",
                token => _operations.GetShareStatsAsync(share, token), cancellationToken).ConfigureAwait(false);
        }
        catch (ArmThrottledException ex)
        {
            throw new HomeStorageBusyException(ex.Message, ex);
        }
        if (response.Status == 404)
        {
            return null;
        }
        if (response.Status != 200 || response.Body is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            throw response.Unexpected("a file share read");
        }
        long used = properties.TryGetProperty("shareUsageBytes", out var usage) && usage.TryGetInt64(out long bytes) ? bytes : 0;
        long? quota = properties.TryGetProperty("shareQuota", out var gib) && gib.TryGetInt64(out long g) && g > 0 ? g * BytesPerGiB : null;
        return new HomeStorageUse(used, quota);
    }

    private async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        await _spacing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (_nextRead > now)
            {
                await Task.Delay(_nextRead - now, _time, cancellationToken).ConfigureAwait(false);
                now = _nextRead;
            }
            _nextRead = now + Spacing;
        }
        finally
        {
            _spacing.Release();
        }
    }
}
