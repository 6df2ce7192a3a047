using Hub.Core.Security;
using Hub.Core.Store;
using Microsoft.Extensions.Logging;

namespace Hub.Core.Usage;

/// <summary>A measurer asked to be left alone for a while (ARM throttling): the survey stops and goes on next time.</summary>
public sealed class HomeStorageBusyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What one survey did, for the cull run's log.</summary>
public sealed record HomeSurveySummary(bool Ran, int Due, int Measured, int Failed, bool Interrupted)
{
    public static readonly HomeSurveySummary Skipped = new(false, 0, 0, 0, false);

    public IReadOnlyList<string> ToLines() => !Ran || Due == 0
        ? []
        : [$"Measured {Measured} of {Due} home(s) due{(Failed > 0 ? $", {Failed} failed" : "")}{(Interrupted ? "; the rest next run" : "")}."];
}

/// <summary>
/// Measures users' homes during the cull run and keeps each figure on the user record with its time, so that the
/// admin page and the usage API read stored figures and never measure. A home is due when it was never measured or
/// was measured at least <see cref="HomeStorageOptions.RefreshInterval"/> ago and may have changed since: its owner
/// has a running server or was active after the measurement. The users are listed at most twice per interval per
/// instance; the least recently measured go first, a few at a time, within <see cref="RunBudget"/>.
/// </summary>
public sealed partial class HomeStorageSurvey(IHubStore store, IHomeStorage homes, HomeStorageOptions options, TimeProvider time, ILogger<HomeStorageSurvey> logger)
{
    /// <summary>The longest one survey measures; the homes left are the first due next time.</summary>
    public static readonly TimeSpan RunBudget = TimeSpan.FromSeconds(60);

    /// <summary>Homes measured at the same time (ARM reads, or folder walks on the local disk).</summary>
    public const int Concurrency = 8;

    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSurvey;

    /// <summary>Whether <paramref name="user"/>'s home (measured at <see cref="UserRecord.HomeMeasured"/>, or never) is measured again now.</summary>
    public static bool IsDue(UserRecord user, bool running, DateTimeOffset now, TimeSpan interval) => user.HomeMeasured switch
    {
        null => running || user.LastActivity is not null,
        { } measured => now - measured >= interval && (running || user.LastActivity > measured),
    };

    /// <summary>Measures the homes that are due, if a survey is due on this instance.</summary>
    public async Task<HomeSurveySummary> RefreshAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled || !homes.Measures)
        {
            return HomeSurveySummary.Skipped;
        }
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_lastSurvey is { } last && now - last < options.RefreshInterval / 2)
            {
                return HomeSurveySummary.Skipped;
            }
            _lastSurvey = now;
        }
        var running = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var server in store.Servers.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            if (server.Started is not null)
            {
                running.Add(server.User);
            }
        }
        var due = new List<UserRecord>();
        await foreach (var user in store.Users.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (IsDue(user, running.Contains(user.Name), now, options.RefreshInterval))
            {
                due.Add(user);
            }
        }
        due.Sort((a, b) => Nullable.Compare(a.HomeMeasured, b.HomeMeasured));

        int measured = 0, failed = 0;
        bool interrupted = false;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(RunBudget);
        try
        {
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = budget.Token }, async (user, token) =>
            {
                if (await MeasureAsync(user.Name, now, token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref measured);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        catch (HomeStorageBusyException ex)
        {
            interrupted = true;
            SurveyPaused(logger, ex.Message);
        }
        return new HomeSurveySummary(true, due.Count, measured, failed, interrupted);
    }

    /// <summary>Measures one home and stores the figure; false when measuring failed (logged; tried again next time).</summary>
    private async Task<bool> MeasureAsync(string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        HomeStorageUse? use;
        try
        {
            use = await homes.UseOfAsync(user, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or HomeStorageBusyException))
        {
            MeasureFailed(logger, LogText.Cap(user), ex.GetType().Name, LogText.Cap(ex.Message));
            return false;
        }
        // The survey's start stands for the measurement's time, so that the next survey finds it due exactly one interval on.
        await store.Users.ChangeAsync(user, u => u with { Home = use, HomeMeasured = now }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(EventId = 1910, EventName = "HomeMeasureFailed", Level = LogLevel.Warning, Message = "Could not measure the home of {User}: {Error}: {Message}")]
    private static partial void MeasureFailed(ILogger logger, string user, string error, string message);

    [LoggerMessage(EventId = 1911, EventName = "HomeSurveyPaused", Level = LogLevel.Information, Message = "Measuring homes paused until the next cull run: {Reason}")]
    private static partial void SurveyPaused(ILogger logger, string reason);
}
