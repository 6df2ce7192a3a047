using System.Text.Json;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Core.Users;
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
    public const int MaxUsersPerRequest = 1000;

    public static IEndpointRouteBuilder MapGroupsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/groups", ListAsync);
        endpoints.MapGet("/groups/{name}", GetAsync);
        endpoints.MapPost("/groups/{name}", CreateAsync);
        endpoints.MapDelete("/groups/{name}", DeleteAsync);
        endpoints.MapPost("/groups/{name}/users", AddUsersAsync);
        endpoints.MapDelete("/groups/{name}/users", RemoveUsersAsync);
        endpoints.MapPut("/groups/{name}/properties", SetPropertiesAsync);
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
    private static async Task<IResult> CreateAsync(HttpContext context, string name, Caller caller, IHubStore store)
    {
        var (group, body, problem) = await GroupAndBodyAsync(context, caller, name, "admin:groups");
        if (problem is not null)
        {
            return problem;
        }
        if (body is { } json && json.TryGetProperty("properties", out var properties)
            && !(properties.ValueKind == JsonValueKind.Null || IsEmptyObject(properties)))
        {
            return ApiProblem.BadRequest(PropertiesNotStored + " Leave out \"properties\".");
        }
        if ((await MembersAsync(store, group, context.RequestAborted)).Count > 0)
        {
            return ApiProblem.Of(StatusCodes.Status409Conflict, $"Group {LogText.Cap(group)} already exists.");
        }
        List<UserRecord> users = [];
        if (body is { } withUsers && withUsers.TryGetProperty("users", out _))
        {
            var (found, usersProblem) = await UsersOfBodyAsync(context, store, body);
            if (usersProblem is not null)
            {
                return usersProblem;
            }
            users = found!;
        }
        await AddAsync(context, store, caller, group, users);
        return ApiJson.Ok(ApiModels.Group(group, await MembersAsync(store, group, context.RequestAborted), caller.Scopes), StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string name, Caller caller, IHubStore store)
    {
        var (group, problem) = GroupOf(caller, name, "delete:groups");
        if (problem is not null)
        {
            return problem;
        }
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
    private static async Task<IResult> AddUsersAsync(HttpContext context, string name, Caller caller, IHubStore store)
    {
        var (group, body, problem) = await GroupAndBodyAsync(context, caller, name, "groups");
        if (problem is not null)
        {
            return problem;
        }
        var (users, usersProblem) = await UsersOfBodyAsync(context, store, body);
        if (usersProblem is not null)
        {
            return usersProblem;
        }
        await AddAsync(context, store, caller, group, users!);
        var members = await MembersAsync(store, group, context.RequestAborted);
        return members.Count > 0 ? ApiJson.Ok(ApiModels.Group(group, members, caller.Scopes)) : NoSuchGroup(group);
    }

    private static async Task<IResult> RemoveUsersAsync(HttpContext context, string name, Caller caller, IHubStore store)
    {
        var (group, body, problem) = await GroupAndBodyAsync(context, caller, name, "groups");
        if (problem is not null)
        {
            return problem;
        }
        if ((await MembersAsync(store, group, context.RequestAborted)).Count == 0)
        {
            return NoSuchGroup(group);
        }
        var (users, usersProblem) = await UsersOfBodyAsync(context, store, body);
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
    private static async Task<IResult> SetPropertiesAsync(HttpContext context, string name, Caller caller, IHubStore store)
    {
        var (group, body, problem) = await GroupAndBodyAsync(context, caller, name, "groups");
        if (problem is not null)
        {
            return problem;
        }
        if (body is not { ValueKind: JsonValueKind.Object } properties)
        {
            return ApiProblem.BadRequest("The body must be the group's properties as a JSON object.");
        }
        var members = await MembersAsync(store, group, context.RequestAborted);
        if (members.Count == 0)
        {
            return NoSuchGroup(group);
        }
        if (!IsEmptyObject(properties))
        {
            return ApiProblem.BadRequest(PropertiesNotStored + " Only {} can be set.");
        }
        return ApiJson.Ok(ApiModels.Group(group, members, caller.Scopes));
    }

    private const string PropertiesNotStored = "This hub does not store group properties.";

    private static bool IsEmptyObject(JsonElement value) => value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any();

    /// <summary>
    /// Checks the caller's scope for the named group (none at all: 403; a <c>!group=</c> filter for another group:
    /// 404, as for users) and the name itself (400).
    /// </summary>
    private static (string Group, IResult? Problem) GroupOf(Caller caller, string rawName, string scope)
    {
        string group = rawName;
        if (!caller.Scopes.HasAny(scope))
        {
            return (group, ApiProblem.MissingScope(scope));
        }
        if (!caller.Scopes.AllowsGroup(scope, group))
        {
            return (group, NoSuchGroup(group));
        }
        if (GroupNames.Problem(group) is { } why)
        {
            return (group, ApiProblem.BadRequest("Invalid group name " + LogText.Cap(group) + ": " + why));
        }
        return (group, null);
    }

    /// <summary><see cref="GroupOf"/>, then the request's JSON object body (<c>null</c> when empty).</summary>
    private static async Task<(string Group, JsonElement? Body, IResult? Problem)> GroupAndBodyAsync(HttpContext context, Caller caller, string rawName, string scope)
    {
        var (group, problem) = GroupOf(caller, rawName, scope);
        if (problem is not null)
        {
            return (group, null, problem);
        }
        var (body, bodyProblem) = await ApiBody.ReadObjectAsync(context.Request);
        return (group, body, bodyProblem);
    }

    /// <summary>The users a body's <c>"users"</c> names, all of them existing; otherwise a 400 naming the problem (nothing is changed).</summary>
    private static async Task<(List<UserRecord>? Users, IResult? Problem)> UsersOfBodyAsync(HttpContext context, IHubStore store, JsonElement? body)
    {
        if (body is not { } json || !json.TryGetProperty("users", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return (null, ApiProblem.BadRequest("The body must be {\"users\": [\"name\", ...]}."));
        }
        if (list.GetArrayLength() > MaxUsersPerRequest)
        {
            return (null, ApiProblem.BadRequest($"At most {MaxUsersPerRequest} users can be changed at once."));
        }
        var names = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return (null, ApiProblem.BadRequest($"Every user must be a name (a string), not {item.ValueKind}."));
            }
            string name = UserNamePolicy.Fold(item.GetString()!);
            if (UserNamePolicy.WellFormednessProblem(name) is { } why)
            {
                return (null, ApiProblem.BadRequest("Invalid user name " + LogText.Cap(name) + ": " + why));
            }
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }
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

    private static IResult NoSuchGroup(string group) => ApiProblem.NotFound("No such group: " + LogText.Cap(group));

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GroupsEndpoints));
}
