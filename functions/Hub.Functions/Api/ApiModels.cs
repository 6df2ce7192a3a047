using Hub.Core.Auth;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Functions.Api;

/// <summary>JupyterHub's user, server and token models, with the fields the caller's scopes allow.</summary>
public sealed class ApiModels(Core.Hosting.HubOptions hub)
{
    /// <summary>The user model: name and kind always; the rest with <c>read:users</c>, servers with <c>read:servers</c>.</summary>
    public Dictionary<string, object?> User(UserRecord user, IReadOnlyList<ServerRecord> servers, ScopeSet scopes, bool includeStopped)
    {
        var model = new Dictionary<string, object?> { ["kind"] = "user", ["name"] = user.Name };
        if (scopes.Allows("read:users", user.Name, user.Groups))
        {
            model["admin"] = user.Admin;
            model["roles"] = user.Admin ? new[] { "admin", "user" } : new[] { "user" };
            model["groups"] = user.Groups;
            model["created"] = ApiJson.Time(user.Created);
            model["last_activity"] = ApiJson.Time(user.LastActivity);
        }
        else
        {
            if (scopes.Allows("read:users:groups", user.Name, user.Groups))
            {
                model["groups"] = user.Groups;
            }
            if (scopes.Allows("read:users:activity", user.Name, user.Groups))
            {
                model["last_activity"] = ApiJson.Time(user.LastActivity);
            }
        }
        if (scopes.AllowsAnyServerOf("read:servers", user.Name, user.Groups))
        {
            var defaultServer = servers.FirstOrDefault(s => s.Name.Length == 0);
            model["server"] = defaultServer is not null && IsReady(defaultServer) ? ServerUrls.BasePath(user.Name, "") : null;
            model["pending"] = defaultServer is null ? null : Pending(defaultServer);
            var visible = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var server in servers)
            {
                if ((includeStopped || IsActive(server)) && scopes.Allows("read:servers", user.Name, user.Groups, server.Name))
                {
                    visible[server.Name] = Server(server, scopes.Allows("admin:server_state", user.Name, user.Groups, server.Name));
                }
            }
            model["servers"] = visible;
        }
        return model;
    }

    public Dictionary<string, object?> Server(ServerRecord server, bool withState)
    {
        string url = ServerUrls.BasePath(server.User, server.Name);
        string progress = ServerUrls.ProgressPath(server.User, server.Name);
        bool ready = IsReady(server);
        string? pending = Pending(server);
        var model = new Dictionary<string, object?>
        {
            ["name"] = server.Name,
            ["ready"] = ready,
            ["stopped"] = !ready && pending is null,
            ["pending"] = pending,
            ["url"] = url,
            ["full_url"] = new Uri(hub.PublicUrl, url).AbsoluteUri,
            ["progress_url"] = progress,
            ["full_progress_url"] = new Uri(hub.PublicUrl, progress).AbsoluteUri,
            ["started"] = ApiJson.Time(server.Started),
            ["last_activity"] = ApiJson.Time(server.LastActivity ?? server.Started ?? server.Requested),
            ["user_options"] = server.Profile is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["profile"] = server.Profile },
            // Ours, beside JupyterHub's fields (its Server schema allows more): seconds of the completed runs; the
            // current run, if any, is the time since "started".
            ["used_seconds"] = server.UsedSeconds,
            // Ours too: what last_activity was, for the admin page.
            ["last_activity_kind"] = server.LastActivityKind is { } kind ? ActivityKinds.Label(kind) : null,
        };
        if (withState)
        {
            model["state"] = new Dictionary<string, object?> { ["spawner_state"] = server.SpawnerState, ["phase"] = server.Phase.ToString() };
        }
        return model;
    }

    /// <summary>
    /// The group model: name and kind always; members and (empty) properties with <c>read:groups</c> for it; its
    /// (no) roles with <c>read:roles:groups</c>. Group properties and group roles are not stored by this hub.
    /// </summary>
    public static Dictionary<string, object?> Group(string name, IReadOnlyList<string> members, ScopeSet scopes)
    {
        var model = new Dictionary<string, object?> { ["kind"] = "group", ["name"] = name };
        if (scopes.AllowsGroup("read:groups", name))
        {
            model["users"] = members;
            model["properties"] = new Dictionary<string, object?>();
        }
        if (scopes.AllowsGroup("read:roles:groups", name))
        {
            model["roles"] = Array.Empty<string>();
        }
        return model;
    }

    public static Dictionary<string, object?> Token(TokenRecord token) => new()
    {
        ["id"] = token.Id,
        ["kind"] = "api_token",
        ["user"] = token.User,
        ["roles"] = Array.Empty<string>(),
        ["scopes"] = token.Scopes,
        ["note"] = token.Note ?? "",
        ["created"] = ApiJson.Time(token.Created),
        ["expires_at"] = ApiJson.Time(token.Expires),
        ["last_activity"] = ApiJson.Time(token.LastActivity),
        ["session_id"] = null,
    };

    public static bool IsReady(ServerRecord server) => server.Desired == ServerDesiredState.Running && server.Phase == ServerPhase.Running;

    /// <summary><c>spawn</c>, <c>stop</c> or <c>null</c>.</summary>
    public static string? Pending(ServerRecord server) => server.Phase switch
    {
        ServerPhase.Queued or ServerPhase.Creating or ServerPhase.Starting or ServerPhase.WaitingForHttp => "spawn",
        ServerPhase.Stopping => "stop",
        ServerPhase.Running when server.Desired == ServerDesiredState.Stopped => "stop",
        _ => null,
    };

    /// <summary>Ready or pending: listed by default and counted as active by <c>?state=active</c>.</summary>
    public static bool IsActive(ServerRecord server) => IsReady(server) || Pending(server) is not null;

}
