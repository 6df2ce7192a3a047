using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Api.Models;
using Hub.Functions.Auth;
using Hub.Functions.Logging;

namespace Hub.Functions.Api;

/// <summary>
/// Groups (a class): <c>GET /hub/api/groups</c>, <c>GET/POST/DELETE /hub/api/groups/{name}</c>,
/// <c>POST/DELETE /hub/api/groups/{name}/users</c> and <c>PUT /hub/api/groups/{name}/properties</c>, with JupyterHub's scopes (<c>list:groups</c>,
/// <c>read:groups</c>, <c>read:groups:name</c>, <c>groups</c>, <c>admin:groups</c>, <c>delete:groups</c>) and
/// answers. Membership is stored on the user records (<see cref="UserRecord.Groups"/>), so a group exists while it
/// has members: adding users to a new group creates it, and an empty group is not kept (JupyterHub keeps it).
/// </summary>
public static class GroupsEndpoints
{
    /// <summary>The most users one request may add or remove.</summary>
    public const int MaxUsersPerRequest = GroupUsersRequest.MaxUsers;

    public static IEndpointRouteBuilder MapGroupsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var change = TargetFilter.Group("groups", badNameIs400: true);
        endpoints.MapGet("/groups", ListAsync);
        endpoints.MapGet("/groups/{name}", GetAsync);
        endpoints.MapPost("/groups/{name}", CreateAsync).AddEndpointFilter(TargetFilter.Group("admin:groups", badNameIs400: true));
        endpoints.MapDelete("/groups/{name}", DeleteAsync).AddEndpointFilter(TargetFilter.Group("delete:groups", badNameIs400: true));
        endpoints.MapPost("/groups/{name}/users", AddUsersAsync).AddEndpointFilter(change);
        endpoints.MapDelete("/groups/{name}/users", RemoveUsersAsync).AddEndpointFilter(change);
        endpoints.MapPut("/groups/{name}/properties", SetPropertiesAsync).AddEndpointFilter(change);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, Caller caller, IHubStore store, Core.Hosting.HubOptions hub)
    {
        if (!caller.Scopes.HasAny("list:groups"))
        {
            return ApiProblem.MissingScope("list:groups");
        }
        if (!ApiPaging.TryRead(context.Request.Query, out int offset, out int limit, out var pagingProblem))
        {
            return pagingProblem!;
        }
        var groups = (await GroupsAsync(store, context.RequestAborted)).Where(g => caller.Scopes.AllowsGroup("list:groups", g.Key)).ToList();
        var page = groups.Skip(offset).Take(limit).Select(g => ApiModels.Group(g.Key, g.Value, caller.Scopes)).ToList();
        return ApiPaging.Page(context, hub, "/hub/api/groups", page, offset, limit, groups.Count);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string name, Caller caller, IHubStore store)
    {
        if (!caller.Scopes.HasAny("read:groups") && !caller.Scopes.HasAny("read:groups:name"))
        {
            return ApiProblem.MissingScope("read:groups", "read:groups:name");
        }
        string group = name;
        var members = GroupNames.Problem(group) is null ? await MembersAsync(store, group, context.RequestAborted) : [];
        bool allowed = caller.Scopes.AllowsGroup("read:groups", group) || caller.Scopes.AllowsGroup("read:groups:name", group);
        return allowed && members.Count > 0 ? ApiJson.Ok(ApiModels.Group(group, members, caller.Scopes)) : NoSuchGroup(group);
    }

    /// <summary>JupyterHub creates an empty group here; one without members is answered but not kept (see the class summary).</summary>
    private static async Task<IResult> CreateAsync(HttpContext context, ApiTarget target, Caller caller, IHubStore store)
    {
        string group = target.Group;
        var (request, bodyProblem) = await ApiBody.ReadAsync<GroupCreateRequest>(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if ((await MembersAsync(store, group, context.RequestAborted)).Count > 0)
        {
            return ApiProblem.Of(StatusCodes.Status409Conflict, $"Group {LogText.Cap(group)} already exists.");
        }
        List<UserRecord> users = [];
        if (request.Users is { } names)
        {
            var (found, usersProblem) = await ExistingUsersAsync(context, store, names);
            if (usersProblem is not null)
            {
                return usersProblem;
            }
            users = found!;
        }
        await AddAsync(context, store, caller, group, users);
        return ApiJson.Ok(ApiModels.Group(group, await MembersAsync(store, group, context.RequestAborted), caller.Scopes), StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, ApiTarget target, Caller caller, IHubStore store)
    {
        string group = target.Group;
        var members = await MembersAsync(store, group, context.RequestAborted);
        if (members.Count == 0)
        {
            return NoSuchGroup(group);
        }
        foreach (var member in members)
        {
            await store.Users.ChangeAsync(member, u => Without(u, group), context.RequestAborted);
        }
        Log.GroupDeleted(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(group), members.Count);
        return Results.NoContent();
    }

    /// <summary>Adds users to the group, creating it if it has no members yet (JupyterHub answers 404 for a group never created).</summary>
    private static async Task<IResult> AddUsersAsync(HttpContext context, ApiTarget target, Caller caller, IHubStore store)
    {
        string group = target.Group;
        var (request, bodyProblem) = await ApiBody.ReadAsync<GroupUsersRequest>(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var (users, usersProblem) = await ExistingUsersAsync(context, store, request.Users);
        if (usersProblem is not null)
        {
            return usersProblem;
        }
        await AddAsync(context, store, caller, group, users!);
        var members = await MembersAsync(store, group, context.RequestAborted);
        return members.Count > 0 ? ApiJson.Ok(ApiModels.Group(group, members, caller.Scopes)) : NoSuchGroup(group);
    }

    private static async Task<IResult> RemoveUsersAsync(HttpContext context, ApiTarget target, Caller caller, IHubStore store)
    {
        string group = target.Group;
        var (body, bodyProblem) = await ApiBody.ReadObjectAsync(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if ((await MembersAsync(store, group, context.RequestAborted)).Count == 0)
        {
            return NoSuchGroup(group);
        }
        if (!GroupUsersRequest.TryRead(body, out var request, out var requestProblem))
        {
            return requestProblem!;
        }
        var (users, usersProblem) = await ExistingUsersAsync(context, store, request.Users);
        if (usersProblem is not null)
        {
            return usersProblem;
        }
        int removed = 0;
        foreach (var user in users!.Where(u => u.Groups.Contains(group, StringComparer.Ordinal)))
        {
            await store.Users.ChangeAsync(user.Name, u => Without(u, group), context.RequestAborted);
            removed++;
        }
        Log.GroupUsersRemoved(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(group), removed);
        return ApiJson.Ok(ApiModels.Group(group, await MembersAsync(store, group, context.RequestAborted), caller.Scopes));
    }

    /// <summary>
    /// JupyterHub 3.2's <c>PUT /groups/{name}/properties</c>. This hub stores no group properties, so setting none (an
    /// empty object) answers the group as it is, and setting any is a 400 that says so; nothing is changed either way.
    /// </summary>
    private static async Task<IResult> SetPropertiesAsync(HttpContext context, ApiTarget target, Caller caller, IHubStore store)
    {
        string group = target.Group;
        var (request, bodyProblem) = await ApiBody.ReadAsync<GroupPropertiesRequest>(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var members = await MembersAsync(store, group, context.RequestAborted);
        if (members.Count == 0)
        {
            return NoSuchGroup(group);
        }
        if (request.SetsAny)
        {
            return ApiProblem.BadRequest(GroupPropertiesRequest.NotStored + " Only {} can be set.");
        }
        return ApiJson.Ok(ApiModels.Group(group, members, caller.Scopes));
    }

    /// <summary>The users <paramref name="names"/> names, all of them existing; otherwise a 400 naming those that do not (nothing is changed).</summary>
    private static async Task<(List<UserRecord>? Users, IResult? Problem)> ExistingUsersAsync(HttpContext context, IHubStore store, IReadOnlyList<string> names)
    {
        var users = new List<UserRecord>();
        var unknown = new List<string>();
        foreach (var name in names)
        {
            if (await store.Users.GetAsync(name, context.RequestAborted) is { } user)
            {
                users.Add(user);
            }
            else
            {
                unknown.Add(LogText.Cap(name));
            }
        }
        if (unknown.Count > 0)
        {
            string shown = string.Join(", ", unknown.Take(10)) + (unknown.Count > 10 ? $" and {unknown.Count - 10} more" : "");
            return (null, ApiProblem.BadRequest($"No such user{(unknown.Count == 1 ? "" : "s")}: {shown}. Add them first (POST /hub/api/users)."));
        }
        return (users, null);
    }

    private static async Task AddAsync(HttpContext context, IHubStore store, Caller caller, string group, List<UserRecord> users)
    {
        int added = 0;
        foreach (var user in users.Where(u => !u.Groups.Contains(group, StringComparer.Ordinal)))
        {
            await store.Users.ChangeAsync(user.Name, u => u.Groups.Contains(group, StringComparer.Ordinal) ? null : u with { Groups = [.. u.Groups, group] }, context.RequestAborted);
            added++;
        }
        if (added > 0)
        {
            Log.GroupUsersAdded(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(group), added);
        }
    }

    private static UserRecord? Without(UserRecord user, string group) =>
        user.Groups.Contains(group, StringComparer.Ordinal) ? user with { Groups = user.Groups.Where(g => !string.Equals(g, group, StringComparison.Ordinal)).ToList() } : null;

    /// <summary>Every group with its members (by name), from the user records.</summary>
    private static async Task<SortedDictionary<string, List<string>>> GroupsAsync(IHubStore store, CancellationToken cancellationToken)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var user in store.Users.ListAsync(cancellationToken))
        {
            foreach (var group in user.Groups.Distinct(StringComparer.Ordinal))
            {
                (groups.TryGetValue(group, out var members) ? members : groups[group] = []).Add(user.Name);
            }
        }
        foreach (var members in groups.Values)
        {
            members.Sort(StringComparer.Ordinal);
        }
        return groups;
    }

    internal static async Task<List<string>> MembersAsync(IHubStore store, string group, CancellationToken cancellationToken)
    {
        var members = new List<string>();
        await foreach (var user in store.Users.ListAsync(cancellationToken))
        {
            if (user.Groups.Contains(group, StringComparer.Ordinal))
            {
                members.Add(user.Name);
            }
        }
        members.Sort(StringComparer.Ordinal);
        return members;
    }

    private static IResult NoSuchGroup(string group) => ApiTargets.NoSuchGroup(group);

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GroupsEndpoints));
}
