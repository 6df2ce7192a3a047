using Hub.Core.Store;
using Hub.Functions.Logging;

namespace Hub.Functions.Hosting;

/// <summary>
/// Creates the tables in the background, retrying until the store answers, so the app starts (and reports
/// the problem on /hub/health) even when storage is not reachable yet; then marks the <see cref="StoreReadiness"/>.
/// </summary>
internal sealed class StoreInitializer(IHubStore store, StoreReadiness readiness, ILogger<StoreInitializer> logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave the startup thread at once, so that creating the tables overlaps with the server starting.
        await Task.Yield();
        var delay = TimeSpan.FromMilliseconds(250);
        for (int attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await store.InitializeAsync(stoppingToken);
                readiness.MarkReady();
                Log.StoreInitialized(logger, store.Location, attempt);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.StoreInitializationFailed(logger, store.Location, attempt, delay, ex.InnerException?.Message ?? ex.Message);
            }
            await Task.Delay(delay, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
