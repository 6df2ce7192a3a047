using System.Runtime.CompilerServices;
using System.Text.Json;
using Hub.Core.Spawning;
using Hub.Core.Users;
using Microsoft.Extensions.Logging;

namespace Hub.Azure.Arm;

/// <summary>
/// Runs each server as an Azure Container Instances container group over ARM, with the user's Azure Files share as
/// home. Names are derived from the server (see <see cref="ContainerGroupDefinition"/>), so a repeated start is the
/// same PUT. Start: share PUT (once per user; shares are never deleted), then group PUT. Poll: one GET when groups
/// usually are done (learned from recent starts), otherwise the shared group list until the group's provisioning is
/// terminal, then one GET for its instance state and IP. Stop: DELETE (200, 204 and
/// 404 mean gone; 202 is watched until it is). ARM's 429 and ACI quota errors become waiting states with a message
/// for the student and one for admins; calls are paced to ARM's documented budgets.
/// </summary>
public sealed class ContainerInstanceSpawner : ISpawner
{
    /// <summary>Waiting when a PUT conflicts with a group still being removed.</summary>
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromSeconds(5);

    /// <summary>After the expected end of provisioning, a group is looked at directly this long, then through the list.</summary>
    private static readonly TimeSpan DirectLookWindow = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan DirectLookInterval = TimeSpan.FromSeconds(1);

    /// <summary>Waiting after ARM failed or did not answer (its own retries spent), unless it said when to come back.</summary>
    private static readonly TimeSpan UnavailableRetry = TimeSpan.FromSeconds(5);

    /// <summary>What the student reads while ARM is failing; the start goes on by itself when it recovers.</summary>
    public const string UnavailableMessage = "Waiting for Azure: it is not answering right now. Your place is kept and your server starts when it is back.";

    private readonly ProvisioningClock _clock = new();
    private readonly ContainerInstancesOptions _options;
    private readonly ContainerGroupOperations _operations;
    private readonly ArmCallPacer _pacer;
    private readonly ContainerGroupWatch _watch;
    private readonly TimeProvider _time;
    private readonly ILogger<ContainerInstanceSpawner> _logger;

    public ContainerInstanceSpawner(ArmClient arm, ContainerInstancesOptions options, ArmRateLimiter limiter, TimeProvider time, ILogger<ContainerInstanceSpawner> logger)
    {
        _options = options;
        _operations = new ContainerGroupOperations(arm, options);
        _pacer = new ArmCallPacer(limiter, time, logger);
        _watch = new ContainerGroupWatch(_operations, _pacer, time);
        _time = time;
        _logger = logger;
    }

    public string Kind => "container-instances";

    public async Task<SpawnerObservation> StartAsync(SpawnerStart start, CancellationToken cancellationToken)
    {
        var state = AciState.Read(start.State);
        string group = ContainerGroupDefinition.GroupName(_options, start.Key);
        try
        {
            if (!state.HomeReady)
            {
                string share = ContainerGroupDefinition.ShareName(_options, start.Key.User);
                var created = await _pacer.CallAsync(ArmOperationKind.Write, "share/" + share, "create file share",
                    token => _operations.PutShareAsync(share, ContainerGroupDefinition.Share(_options, start.Key.User), token), cancellationToken).ConfigureAwait(false);
                if (created.Status is not (200 or 201))
                {
                    return Refused(created, "create file share", share, "Azure refused to create the storage for your files.", state);
                }
                if (created.Status == 201)
                {
                    ArmLog.ShareCreated(_logger, share, _options.ShareQuotaGiB, UserNamePolicy.Shorten(start.Key.User));
                }
                state = state with { HomeReady = true };
            }

            var put = await _pacer.CallAsync(ArmOperationKind.Write, "group/" + group, "create container group",
                token => _operations.PutGroupAsync(group, ContainerGroupDefinition.Group(_options, start), token), cancellationToken).ConfigureAwait(false);
            if (put.Status is 200 or 201)
            {
                ArmLog.GroupCreated(_logger, group, UserNamePolicy.Shorten(start.Key.ToString()), put.Status, start.Profile.Image ?? _options.Image,
                    start.Profile.Cpu ?? _options.Cpu, start.Profile.MemoryInGb ?? _options.MemoryInGb);
                state = state with { Created = _time.GetUtcNow(), Seen = false };
                // First look no sooner than ARM asks, and when groups usually are done (or, not knowing, when the list can show it).
                var wait = _clock.Expected ?? _options.PollInterval;
                if (put.RetryAfter is { } retryAfter && retryAfter > wait)
                {
                    wait = retryAfter;
                }
                return new SpawnerObservation(SpawnerStatus.Creating, state.Write(), RetryAfter: wait);
            }
            if (IsQuotaError(put))
            {
                ArmLog.QuotaReached(_logger, _options.Location, group, put.Describe(), _options.QuotaRetryInterval);
                return new SpawnerObservation(SpawnerStatus.Waiting, state.Write(),
                    Message: "Waiting for capacity: the hub has as many servers as its Azure quota allows. Your place is kept.",
                    Detail: $"ACI quota reached in {_options.Location}: {put.Describe()}",
                    RetryAfter: _options.QuotaRetryInterval);
            }
            if (IsUnavailable(put))
            {
                return Unavailable(put.Describe(), put.RetryAfter, state.Write());
            }
            if (put.Status == 409)
            {
                return new SpawnerObservation(SpawnerStatus.Waiting, state.Write(), Message: SpawnProgressReport.CreatingMessage,
                    Detail: $"the group is still changing: {put.Describe()}", RetryAfter: ConflictRetry);
            }
            return Refused(put, "create container group", group, "Azure refused to create your server.", state);
        }
        catch (ArmThrottledException ex)
        {
            return Throttled(ex, state.Write());
        }
        catch (TimeoutException ex)
        {
            // The PUT may or may not have been applied: the next start is the same idempotent PUT of the same name.
            return Unavailable(ex.Message, null, state.Write());
        }
    }

    public async Task<SpawnerObservation> PollAsync(SpawnerServer server, CancellationToken cancellationToken)
    {
        string group = ContainerGroupDefinition.GroupName(_options, server.Key);
        var state = AciState.Read(server.State);
        var now = _time.GetUtcNow();
        try
        {
            if (state.Created is { } created && _clock.Expected is { } expected && !state.Seen)
            {
                var expectedEnd = created + expected;
                if (now < expectedEnd)
                {
                    return new SpawnerObservation(SpawnerStatus.Creating, RetryAfter: expectedEnd - now);
                }
                if (now < expectedEnd + DirectLookWindow)
                {
                    return await GetAsync(group, state, DirectLookInterval, cancellationToken).ConfigureAwait(false);
                }
            }

            var list = await _watch.GetAsync(_options.PollInterval, _options.CallTimeout, cancellationToken).ConfigureAwait(false);
            if (list.Groups.TryGetValue(group, out var listed) && listed.ProvisioningState is { } provisioning
                && !ContainerGroupState.Terminal.Contains(provisioning))
            {
                if (provisioning == "Deleting")
                {
                    return new SpawnerObservation(SpawnerStatus.Stopping, RetryAfter: _options.PollInterval);
                }
                var untilNextList = list.Taken + _options.PollInterval - _time.GetUtcNow();
                return new SpawnerObservation(SpawnerStatus.Creating,
                    RetryAfter: untilNextList > TimeSpan.FromMilliseconds(100) ? untilNextList : TimeSpan.FromMilliseconds(100));
            }

            // Finished, or not in the list (just created, or gone): ask for the group itself.
            return await GetAsync(group, state, _options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (ArmThrottledException ex)
        {
            return Throttled(ex, null);
        }
        catch (ArmUnavailableException ex)
        {
            return Unavailable(ex.Message, ex.RetryAfter, null);
        }
        catch (TimeoutException ex)
        {
            return Unavailable(ex.Message, null, null);
        }
    }

    private async Task<SpawnerObservation> GetAsync(string group, AciState state, TimeSpan pollAgain, CancellationToken cancellationToken)
    {
        var got = await _pacer.CallAsync(ArmOperationKind.Read, "get/" + group, "read container group",
            token => _operations.GetGroupAsync(group, token), cancellationToken).ConfigureAwait(false);
        if (got.Status == 404)
        {
            return new SpawnerObservation(SpawnerStatus.Absent);
        }
        if (IsUnavailable(got))
        {
            return Unavailable(got.Describe(), got.RetryAfter, null);
        }
        if (got.Status != 200 || got.Body is not { } body)
        {
            throw got.Unexpected("GET container group");
        }
        var seen = ContainerGroupState.Observe(body, _options.Port);
        if (seen.Status is SpawnerStatus.Creating or SpawnerStatus.Starting)
        {
            return seen with { RetryAfter = pollAgain };
        }
        if (seen.Status == SpawnerStatus.Running && state.Created is { } created && !state.Seen)
        {
            // The container's own start time says how long provisioning really took; when it is missing, the time it
            // was seen running is an upper bound.
            var now = _time.GetUtcNow();
            var started = ContainerGroupState.ContainerStarted(body) is { } at && at > created && at < now ? at : now;
            _clock.Observe(started - created);
            return seen with { State = (state with { Seen = true }).Write() };
        }
        return seen;
    }

    public async Task<SpawnerObservation> StopAsync(SpawnerServer server, CancellationToken cancellationToken)
    {
        string group = ContainerGroupDefinition.GroupName(_options, server.Key);
        try
        {
            var deleted = await _pacer.CallAsync(ArmOperationKind.Delete, "delete/" + group, "delete container group",
                token => _operations.DeleteGroupAsync(group, token), cancellationToken).ConfigureAwait(false);
            switch (deleted.Status)
            {
                case 200 or 204 or 404:
                    ArmLog.GroupDeleted(_logger, group, deleted.Status);
                    return new SpawnerObservation(SpawnerStatus.Absent);
                case 202:
                    return new SpawnerObservation(SpawnerStatus.Stopping, RetryAfter: deleted.RetryAfter ?? _options.PollInterval);
                default:
                    throw deleted.Unexpected("DELETE container group");
            }
        }
        catch (ArmThrottledException ex)
        {
            return Throttled(ex, null);
        }
    }

    public async IAsyncEnumerable<SpawnedServer> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A fresh list: orphans and dead servers are judged on what exists now. Background work: the longer limit.
        var list = await _watch.GetAsync(TimeSpan.Zero, _options.BackgroundCallTimeout, cancellationToken).ConfigureAwait(false);
        foreach (var group in list.Groups.Values)
        {
            if (group.Tags.GetValueOrDefault(ContainerGroupDefinition.HubTag) != _options.NamePrefix)
            {
                continue; // not this hub's: never touched
            }
            if (ContainerGroupDefinition.OwnerOf(_options, group.Name, group.Tags) is { } owner)
            {
                yield return new SpawnedServer(owner, "container group " + group.Name, null);
            }
            else
            {
                ArmLog.UnknownOwner(_logger, group.Name);
            }
        }
    }

    /// <summary>Whether ARM refused a create for quota (ACI's container group, core or create-rate quotas).</summary>
    public static bool IsQuotaError(ArmResponse response) =>
        response.Status is 400 or 403 or 409 or 429
        && ((response.ErrorCode?.Contains("Quota", StringComparison.OrdinalIgnoreCase) ?? false)
            || (response.ErrorMessage?.Contains("quota", StringComparison.OrdinalIgnoreCase) ?? false));

    /// <summary>ARM's server errors (500, 502, 503, 504): an outage to wait out, not a refusal.</summary>
    private static bool IsUnavailable(ArmResponse response) => response.Status is 500 or 502 or 503 or 504;

    private static SpawnerObservation Unavailable(string detail, TimeSpan? retryAfter, string? state) =>
        new(SpawnerStatus.Waiting, state, Message: UnavailableMessage, Detail: "ARM unavailable: " + detail,
            RetryAfter: retryAfter is { } hint && hint > TimeSpan.Zero ? hint : UnavailableRetry);

    private SpawnerObservation Refused(ArmResponse response, string operation, string resource, string message, AciState state)
    {
        ArmLog.Refused(_logger, operation, resource, response.Describe());
        return new SpawnerObservation(SpawnerStatus.Failed, state.Write(), Message: message, Detail: $"{operation} {resource}: {response.Describe()}");
    }

    private static SpawnerObservation Throttled(ArmThrottledException ex, string? state) =>
        new(SpawnerStatus.Waiting, state, Message: "Waiting for Azure: many servers are starting at once. Your place is kept.", Detail: ex.Message, RetryAfter: ex.RetryAfter);

    /// <summary>
    /// What the spawner keeps with a server: whether the user's share is known to exist (saves a write per start),
    /// when the current group was accepted, and whether it has been seen running since.
    /// </summary>
    private sealed record AciState(bool HomeReady, DateTimeOffset? Created = null, bool Seen = false)
    {
        public static AciState Read(string? json)
        {
            if (string.IsNullOrEmpty(json))
            {
                return new AciState(false);
            }
            try
            {
                return JsonSerializer.Deserialize<AciState>(json) ?? new AciState(false);
            }
            catch (JsonException)
            {
                return new AciState(false);
            }
        }

        public string Write() => JsonSerializer.Serialize(this);
    }
}
