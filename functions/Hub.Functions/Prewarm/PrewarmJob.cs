using Hub.Core.Configuration;
using Hub.Core.Prewarm;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Culling;
using Hub.Functions.Logging;
using Hub.Functions.Timers;

namespace Hub.Functions.Prewarm;

/// <summary>
/// The <c>prewarm</c> timer: within <see cref="PrewarmOptions.LeadTime"/> before a lecture of
/// <see cref="PrewarmOptions.Lectures"/>, starts the default server of every user of the lecture's group or list
/// through <see cref="IServerLifecycle"/>, so the limits and the queue apply as to any start. Idempotent within a
/// window: a server whose start was requested since the window opened (by this job or by its owner) is left alone,
/// even if it has stopped since, so a second run starts nothing new. Pre-warmed servers are culled like any other
/// when nobody uses them.
/// </summary>
public sealed class PrewarmJob : ITimerJob
{
    public const string FunctionName = "prewarm";

    /// <summary>Starts requested at once; each waits briefly for its server (the slow-spawn timeout).</summary>
    public const int ParallelStarts = 16;

    private readonly IHubStore _store;
    private readonly IServerLifecycle _lifecycle;
    private readonly UserNamePolicy _names;
    private readonly PrewarmOptions _options;
    private readonly TimerOptions _timers;
    private readonly CullMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<PrewarmJob> _logger;
    private readonly IReadOnlyList<Lecture> _lectures;
    private readonly TimeZoneInfo _zone;

    public PrewarmJob(IHubStore store, IServerLifecycle lifecycle, UserNamePolicy names, PrewarmOptions options, TimerOptions timers,
        CullMetrics metrics, TimeProvider time, ILogger<PrewarmJob> logger)
    {
        (_store, _lifecycle, _names, _options, _timers, _metrics, _time, _logger) = (store, lifecycle, names, options, timers, metrics, time, logger);
        // Settings validation has refused bad entries and zones at start-up already.
        _lectures = LectureSchedule.Parse(options.Lectures, new SettingsProblems());
        PrewarmOptions.TryFindTimeZone(options.TimeZone, out _zone);
    }

    public string Name => FunctionName;

    public string Schedule => _timers.PrewarmSchedule;

    public async Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        if (_lectures.Count == 0)
        {
            return ["No lectures are configured (Prewarm__Lectures)."];
        }
        var now = _time.GetUtcNow();
        var due = LectureSchedule.Due(_lectures, now, _zone, _options.LeadTime);
        if (due.Count == 0)
        {
            return [$"No lecture starts within {_options.LeadTime}."];
        }

        List<UserRecord>? everyone = null;
        var lines = new List<string>();
        foreach (var occurrence in due)
        {
            var audience = occurrence.Lecture.Audience;
            IReadOnlyList<string> members;
            if (audience.Group is { } group)
            {
                everyone ??= await ListUsersAsync(cancellationToken).ConfigureAwait(false);
                members = everyone.Where(u => u.Groups.Contains(group, StringComparer.Ordinal)).Select(u => u.Name).ToList();
            }
            else
            {
                members = audience.Users.Select(raw => _names.TryNormalize(raw, out string name, out _) ? name : raw).Distinct(StringComparer.Ordinal).ToList();
            }
            var outcome = await WarmAsync(members, occurrence.StartsAt - _options.LeadTime, cancellationToken).ConfigureAwait(false);
            string lecture = LogText.Cap(occurrence.Lecture.Text);
            Log.PrewarmFinished(_logger, occurrence.StartsAt, lecture, outcome.Started, outcome.Already, outcome.Throttled, outcome.Failed, outcome.Unknown);
            _metrics.PrewarmFinished(outcome.Started, outcome.Throttled);
            lines.Add($"Lecture at {occurrence.StartsAt:u} ({lecture}): {members.Count} users; {outcome.Started} started, {outcome.Already} already warm, "
                + $"{outcome.Throttled} refused by a limit, {outcome.Failed} failed, {outcome.Unknown} not users yet.");
        }
        return lines;
    }

    private async Task<List<UserRecord>> ListUsersAsync(CancellationToken cancellationToken)
    {
        var users = new List<UserRecord>();
        await foreach (var user in _store.Users.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(user);
        }
        return users;
    }

    private async Task<WarmOutcome> WarmAsync(IReadOnlyList<string> users, DateTimeOffset windowOpened, CancellationToken cancellationToken)
    {
        int started = 0, already = 0, throttled = 0, failed = 0, unknown = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ParallelStarts, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(users, parallel, async (user, token) =>
        {
            var key = new ServerKey(user, "");
            var server = await _store.Servers.GetAsync(key, token).ConfigureAwait(false);
            if (server is { Desired: ServerDesiredState.Running } || server?.Requested >= windowOpened)
            {
                Interlocked.Increment(ref already);
                return;
            }
            if (await _store.Users.GetAsync(user, token).ConfigureAwait(false) is null)
            {
                // Accounts come from logins and admins; a listed name that never logged in has nothing to start.
                Interlocked.Increment(ref unknown);
                return;
            }
            StartResult result;
            try
            {
                result = await _lifecycle.RequestStartAsync(key, StartOptions.Default, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                result = new StartResult(StartStatus.Failed, ex.Message);
            }
            switch (result.Status)
            {
                case StartStatus.Ready or StartStatus.Pending:
                    Interlocked.Increment(ref started);
                    break;
                case StartStatus.AlreadyRunning:
                    Interlocked.Increment(ref already);
                    break;
                case StartStatus.Throttled:
                    Interlocked.Increment(ref throttled);
                    Log.PrewarmStartFailed(_logger, LogText.Cap(key.ToString()), result.Message ?? "throttled");
                    break;
                default:
                    Interlocked.Increment(ref failed);
                    Log.PrewarmStartFailed(_logger, LogText.Cap(key.ToString()), result.Message ?? result.Status.ToString());
                    break;
            }
        }).ConfigureAwait(false);
        return new WarmOutcome(started, already, throttled, failed, unknown);
    }

    private sealed record WarmOutcome(int Started, int Already, int Throttled, int Failed, int Unknown);
}
