using System.Text.Json;

namespace Hub.Azure.Arm;

/// <summary>
/// The resource group's container groups as one list, shared by every server being created in this process and
/// refreshed at most every poll interval: while hundreds of groups provision at once, watching them costs one list
/// read per interval instead of one GET per group. A GET is made only for a group the list shows finished (for its
/// IP and instance state) or does not show yet.
/// </summary>
internal sealed class ContainerGroupWatch(ContainerGroupOperations operations, ArmCallPacer pacer, TimeProvider time)
{
    private readonly Lock _gate = new();
    private GroupList? _last;
    private Task<GroupList>? _refreshing;

    /// <summary>A list taken at most <paramref name="maxAge"/> ago, waited for at most <paramref name="timeout"/>.</summary>
    /// <exception cref="ArmThrottledException">ARM (or the pacing in front of it) asks to wait.</exception>
    /// <exception cref="ArmUnavailableException">ARM answered the list with a server error.</exception>
    /// <exception cref="TimeoutException">No list within <paramref name="timeout"/>.</exception>
    public async Task<GroupList> GetAsync(TimeSpan maxAge, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task<GroupList> refreshing;
        lock (_gate)
        {
            if (_last is not null && time.GetUtcNow() - _last.Taken <= maxAge)
            {
                return _last;
            }
            // Started off this thread: a refresh that completed inline would clear _refreshing before it is set.
            _refreshing ??= Task.Run(() => RefreshAsync(timeout));
            refreshing = _refreshing;
        }
        // A refresh started by a caller with more time (the sweep) is not waited on longer than this caller may wait.
        try
        {
            return await refreshing.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex) when (!refreshing.IsCompleted)
        {
            throw new TimeoutException($"Azure Resource Manager did not list the container groups within {timeout.TotalSeconds:0.#} s.", ex);
        }
    }

    private async Task<GroupList> RefreshAsync(TimeSpan timeout)
    {
        try
        {
            var taken = time.GetUtcNow();
            var groups = new Dictionary<string, ListedGroup>(StringComparer.Ordinal);
            string? next = null;
            int page = 0;
            do
            {
                string? link = next;
                var response = await pacer.CallAsync(ArmOperationKind.Read, "list/" + page++, "list container groups",
                    token => operations.ListGroupsPageAsync(link, timeout, token), CancellationToken.None).ConfigureAwait(false);
                if (response.Status is 500 or 502 or 503 or 504)
                {
                    throw new ArmUnavailableException(response, "list container groups");
                }
                if (response.Status != 200)
                {
                    throw response.Unexpected("list container groups");
                }
                var (items, nextLink) = ContainerGroupOperations.ReadPage(response);
                foreach (var item in items)
                {
                    if (ListedGroup.From(item) is { } group)
                    {
                        groups[group.Name] = group;
                    }
                }
                next = nextLink;
            }
            while (next is not null);

            var list = new GroupList(taken, groups);
            lock (_gate)
            {
                _last = list;
            }
            return list;
        }
        finally
        {
            lock (_gate)
            {
                _refreshing = null;
            }
        }
    }
}

/// <summary>A listing of the resource group's container groups, by name.</summary>
internal sealed record GroupList(DateTimeOffset Taken, IReadOnlyDictionary<string, ListedGroup> Groups);

/// <summary>What a list shows of one group: its name, provisioning state and tags (no instance view).</summary>
internal sealed record ListedGroup(string Name, string? ProvisioningState, IReadOnlyDictionary<string, string> Tags)
{
    public static ListedGroup? From(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        string? state = item.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("provisioningState", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("tags", out var tagObject) && tagObject.ValueKind == JsonValueKind.Object)
        {
            foreach (var tag in tagObject.EnumerateObject().Where(t => t.Value.ValueKind == JsonValueKind.String))
            {
                tags[tag.Name] = tag.Value.GetString()!;
            }
        }
        return new ListedGroup(name.GetString()!, state, tags);
    }
}
