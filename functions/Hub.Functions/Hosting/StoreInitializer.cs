using Hub.Core.Store;
using Hub.Functions.Logging;

namespace Hub.Functions.Hosting;

/// <summary>
/// Creates the tables in the background, retrying until the store answers, so the app starts (and reports
/// the problem on /hub/health) even when storage is not reachable yet; then marks the <see cref="StoreReadiness"/>.
/// </summary>
/// <remarks>
/// The app calls <see cref="Begin"/> as soon as its services exist, so that the first round trip to storage (and
/// loading the client that makes it) overlaps mapping the endpoints and starting the host instead of following them;
/// starting the host begins it too, for a composition that does not call it.
/// </remarks>
internal sealed class StoreInitializer(IHubStore store, StoreReadiness readiness, ILogger<StoreInitializer> logger, TimeProvider time)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _run;

    /// <summary>
    /// Resolves the initializer (and with it the store and its Table clients) on the thread pool and begins there, so
    /// that building the clients overlaps start-up too. A failure to build them surfaces where the host resolves its
    /// hosted services, as without this.
    /// </summary>
    public static void BeginInBackground(IServiceProvider services) =>
        _ = Task.Run(() =>
        {
            try
            {
                services.GetRequiredService<StoreInitializer>().Begin();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Resolved again, and reported, when the host starts its hosted services.
            }
        });

    /// <summary>Starts creating the tables, once, off the calling thread.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            _run ??= Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Begin();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Task? run;
        lock (_gate)
        {
            run = _run;
        }
        if (run is not null)
        {
            await run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // An app that was built but never run stops the work here; the source is left undisposed for the task still reading its token.
    public void Dispose() => _stopping.Cancel();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
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
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
