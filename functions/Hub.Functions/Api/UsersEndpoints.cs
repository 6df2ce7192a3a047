using System.Globalization;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Core.Users;
using Hub.Functions.Api.Models;
using Hub.Functions.Auth;
using Hub.Functions.Logging;

namespace Hub.Functions.Api;

/// <summary>
/// Users: <c>GET/POST /hub/api/users</c>, <c>GET/POST/PATCH/DELETE /hub/api/users/{name}</c>. Creating users needs
/// the unfiltered <c>admin:users</c> scope (GHSA-69wv-m5fw-2fhp); granting or changing admin needs the caller
/// to be an admin (CVE-2024-41942).
/// </summary>
public static class UsersEndpoints
{
    public const int DefaultLimit = ApiPaging.DefaultLimit;
    public const int MaxLimit = ApiPaging.MaxLimit;
    public const int MaxBulkCreate = UsersCreateRequest.MaxUsers;
    public const string PaginationMediaType = ApiPaging.PaginationMediaType;

    public static IEndpointRouteBuilder MapUsersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/users", ListAsync);
        endpoints.MapPost("/users", CreateManyAsync);
        endpoints.MapGet("/users/{name}", GetAsync).AddEndpointFilter(TargetFilter.User(ReadScope));
        endpoints.MapPost("/users/{name}", CreateOneAsync);
        endpoints.MapPatch("/users/{name}", ChangeAsync).AddEndpointFilter(TargetFilter.User("admin:users"));
        endpoints.MapDelete("/users/{name}", DeleteAsync).AddEndpointFilter(TargetFilter.User("delete:users"));
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, Caller caller, IHubStore store, ApiModels models, Core.Hosting.HubOptions hub)
    {
        if (!caller.Scopes.HasAny("list:users"))
        {
            return ApiProblem.MissingScope("list:users");
        }
        var query = context.Request.Query;
        if (!ApiPaging.TryRead(query, out int offset, out int limit, out var pagingProblem))
        {
            return pagingProblem!;
        }
        string state = query["state"].ToString();
        if (state is not ("" or "active" or "ready" or "inactive"))
        {
            return ApiProblem.BadRequest($"Unrecognized state filter: {LogText.Cap(state)} (use active, ready or inactive).");
        }
        string sort = query["sort"].ToString() is { Length: > 0 } s ? s : "id";
        if (sort.TrimStart('-') is not ("id" or "name" or "last_activity"))
        {
            return ApiProblem.BadRequest($"Unrecognized sort field: {LogText.Cap(sort)} (use id, name or last_activity, with - for descending).");
        }
        string nameFilter = query["name_filter"].ToString();
        // Ours (JupyterHub has no such filter): the members of one group, for the admin page's class view.
        string group = query["group"].ToString();
        bool includeStopped = query.ContainsKey("include_stopped_servers") && query["include_stopped_servers"].ToString() is not ("false" or "0");

        var servers = new Dictionary<string, List<ServerRecord>>(StringComparer.Ordinal);
        await foreach (var server in store.Servers.ListAsync(context.RequestAborted))
        {
            (servers.TryGetValue(server.User, out var list) ? list : servers[server.User] = []).Add(server);
        }
        var users = new List<UserRecord>();
        await foreach (var user in store.Users.ListAsync(context.RequestAborted))
        {
            if (!caller.Scopes.Allows("list:users", user.Name, user.Groups)
                || (nameFilter.Length > 0 && !user.Name.Contains(nameFilter, StringComparison.Ordinal))
                || (group.Length > 0 && !(user.Groups.Contains(group, StringComparer.Ordinal) && caller.Scopes.Allows("read:users:groups", user.Name, user.Groups))))
            {
                continue;
            }
            var own = servers.GetValueOrDefault(user.Name) ?? [];
            bool active = own.Any(ApiModels.IsActive);
            bool keep = state switch
            {
                "active" => active,
                "ready" => own.Any(ApiModels.IsReady),
                "inactive" => !active,
                _ => true,
            };
            if (keep)
            {
                users.Add(user);
            }
        }
        IEnumerable<UserRecord> ordered = sort.TrimStart('-') switch
        {
            "name" => users.OrderBy(u => u.Name, StringComparer.Ordinal),
            "last_activity" => users.OrderBy(u => u.LastActivity ?? DateTimeOffset.MinValue).ThenBy(u => u.Name, StringComparer.Ordinal),
            _ => users.OrderBy(u => u.Created).ThenBy(u => u.Name, StringComparer.Ordinal),
        };
        if (sort.StartsWith('-'))
        {
            ordered = ordered.Reverse();
        }
        var page = ordered.Skip(offset).Take(limit)
            .Select(u => models.User(u, servers.GetValueOrDefault(u.Name) ?? [], caller.Scopes, includeStopped))
            .ToList();

        return ApiPaging.Page(context, hub, "/hub/api/users", page, offset, limit, users.Count);
    }

    /// <summary>Reading a user needs any of these, the first the caller holds in some form deciding (JupyterHub's order).</summary>
    private static string ReadScope(Core.Auth.ScopeSet scopes) =>
        scopes.HasAny("read:users") ? "read:users" : scopes.HasAny("read:servers") ? "read:servers" : "read:users:name";

    private static async Task<IResult> GetAsync(HttpContext context, Caller caller, ApiTarget target, IHubStore store, ApiModels models)
    {
        var user = target.User;
        var servers = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListForUserAsync(user.Name, context.RequestAborted))
        {
            servers.Add(server);
        }
        bool includeStopped = context.Request.Query.ContainsKey("include_stopped_servers");
        return ApiJson.Ok(models.User(user, servers, caller.Scopes, includeStopped));
    }

    private static async Task<IResult> CreateManyAsync(HttpContext context, Caller caller, IHubStore store, ApiModels models, UserNamePolicy names, TimeProvider time)
    {
        if (!caller.Scopes.HasUnfiltered("admin:users"))
        {
            return ApiProblem.MissingScope("admin:users");
        }
        var (body, bodyProblem) = await ApiBody.ReadObjectAsync(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        bool valid = UsersCreateRequest.TryRead(body, names, out var request, out var requestProblem);
        bool admin = request.Admin;
        if (admin && !caller.User.Admin)
        {
            return ApiProblem.Forbidden("Only admins can grant admin.");
        }
        if (!valid)
        {
            return requestProblem!;
        }
        var wanted = request.Usernames;
        var created = new List<object>();
        foreach (string name in wanted)
        {
            var result = await store.Users.CreateAsync(new UserRecord { Name = name, Admin = admin, Created = time.GetUtcNow() }, context.RequestAborted);
            if (result.Succeeded)
            {
                created.Add(models.User(result.Record!, [], caller.Scopes, false));
                Log.UserCreated(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(name), admin);
            }
        }
        if (created.Count == 0 && wanted.Count > 0)
        {
            return ApiProblem.Of(StatusCodes.Status409Conflict, "All " + wanted.Count.ToString(CultureInfo.InvariantCulture) + " users already exist.");
        }
        return ApiJson.Ok(created, StatusCodes.Status201Created);
    }

    private static async Task<IResult> CreateOneAsync(HttpContext context, string name, Caller caller, IHubStore store, ApiModels models, UserNamePolicy names, TimeProvider time)
    {
        if (!caller.Scopes.HasUnfiltered("admin:users"))
        {
            return ApiProblem.MissingScope("admin:users");
        }
        string raw = name;
        if (!names.TryNormalize(raw, out string normalized, out string why))
        {
            return ApiProblem.BadRequest("Invalid user name " + LogText.Cap(raw) + ": " + why);
        }
        var (request, bodyProblem) = await ApiBody.ReadAsync<UserCreateRequest>(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        bool admin = request.Admin;
        if (admin && !caller.User.Admin)
        {
            return ApiProblem.Forbidden("Only admins can grant admin.");
        }
        var result = await store.Users.CreateAsync(new UserRecord { Name = normalized, Admin = admin, Created = time.GetUtcNow() }, context.RequestAborted);
        if (result.Succeeded)
        {
            Log.UserCreated(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(normalized), admin);
        }
        return result.Succeeded
            ? ApiJson.Ok(models.User(result.Record!, [], caller.Scopes, false), StatusCodes.Status201Created)
            : ApiProblem.Of(StatusCodes.Status409Conflict, $"User {LogText.Cap(normalized)} already exists.");
    }

    private static async Task<IResult> ChangeAsync(HttpContext context, Caller caller, ApiTarget target, IHubStore store, ApiModels models, UserNamePolicy names)
    {
        var user = target.User;
        var (body, bodyProblem) = await ApiBody.ReadObjectAsync(context.Request);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        bool valid = UserPatchRequest.TryRead(body, names, out var request, out var requestProblem);
        bool? admin = request.Admin;
        if (admin is { } wanted && wanted != user.Admin && !caller.User.Admin)
        {
            return ApiProblem.Forbidden("Only admins can grant or revoke admin.");
        }
        if (!valid)
        {
            return requestProblem!;
        }
        string newName = request.Name ?? user.Name;
        if (newName != user.Name)
        {
            return await RenameAsync(context, store, models, caller, user, newName, admin ?? user.Admin);
        }
        var changed = admin is { } flag && flag != user.Admin
            ? await store.Users.ChangeAsync(user.Name, u => u with { Admin = flag }, context.RequestAborted)
            : user;
        if (changed is null)
        {
            return ApiProblem.NotFound("No such user: " + LogText.Cap(user.Name));
        }
        if (changed.Admin != user.Admin)
        {
            Log.AdminChanged(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(user.Name), changed.Admin);
        }
        var servers = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListForUserAsync(changed.Name, context.RequestAborted))
        {
            servers.Add(server);
        }
        return ApiJson.Ok(models.User(changed, servers, caller.Scopes, false));
    }

    private static async Task<IResult> RenameAsync(HttpContext context, IHubStore store, ApiModels models, Caller caller, UserRecord user, string newName, bool admin)
    {
        var cancellationToken = context.RequestAborted;
        await foreach (var _ in store.Servers.ListForUserAsync(user.Name, cancellationToken))
        {
            return ApiProblem.BadRequest($"Stop and remove the servers of {LogText.Cap(user.Name)} before renaming the user.");
        }
        var created = await store.Users.CreateAsync(user with { Name = newName, Admin = admin, Version = null }, cancellationToken);
        if (!created.Succeeded)
        {
            return ApiProblem.BadRequest($"User {LogText.Cap(newName)} already exists.");
        }
        await foreach (var token in store.Tokens.ListForUserAsync(user.Name, cancellationToken))
        {
            await store.Tokens.ChangeAsync(token.Hash, t => t with { User = newName }, cancellationToken);
        }
        // Shares name the user: a later user of the old name must not inherit them (they are not carried over either).
        await Hub.Core.Sharing.SharedAccess.RemoveAsync(store, user.Name, null, cancellationToken);
        await store.Users.DeleteAsync(user.Name, cancellationToken: cancellationToken);
        Log.UserRenamed(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(user.Name), LogText.Cap(newName));
        if (admin != user.Admin)
        {
            Log.AdminChanged(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(newName), admin);
        }
        return ApiJson.Ok(models.User(created.Record!, [], caller.Scopes, false));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, Caller caller, ApiTarget target, IHubStore store, IServiceProvider services)
    {
        var user = target.User;
        var cancellationToken = context.RequestAborted;
        var servers = new List<ServerRecord>();
        await foreach (var server in store.Servers.ListForUserAsync(user.Name, cancellationToken))
        {
            servers.Add(server);
        }
        if (servers.Any(StoppedServerRemoval.IsActive))
        {
            if (services.GetService<IServerLifecycle>() is not { } lifecycle)
            {
                return ApiProblem.Of(StatusCodes.Status503ServiceUnavailable, "Spawning is not available, so running servers cannot be stopped.");
            }
            foreach (var server in servers)
            {
                var stop = await lifecycle.RequestStopAsync(server.Key, cancellationToken);
                if (stop.Status == StopStatus.Pending)
                {
                    return ApiProblem.BadRequest($"{LogText.Cap(server.Key.ToString())} is pending stop; delete the user once it has stopped.");
                }
            }
        }
        foreach (var server in servers)
        {
            if (!await StoppedServerRemoval.DeleteIfStillStoppedAsync(store, server.Key, cancellationToken))
            {
                return ApiProblem.Of(StatusCodes.Status409Conflict, $"{LogText.Cap(server.Key.ToString())} was started again while the user was being deleted; stop it and delete the user again.");
            }
        }
        await foreach (var token in store.Tokens.ListForUserAsync(user.Name, cancellationToken))
        {
            await store.Tokens.DeleteAsync(token.Hash, cancellationToken: cancellationToken);
        }
        await Hub.Core.Sharing.SharedAccess.RemoveAsync(store, user.Name, null, cancellationToken);
        await store.Users.DeleteAsync(user.Name, cancellationToken: cancellationToken);
        Log.UserDeleted(Logger(context), LogText.Cap(caller.User.Name), LogText.Cap(user.Name));
        return Results.NoContent();
    }

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UsersEndpoints));
}
