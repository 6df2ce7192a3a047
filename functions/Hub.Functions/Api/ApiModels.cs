using Hub.Core.Auth;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Api.Models;

namespace Hub.Functions.Api;

/// <summary>JupyterHub's user, server and token models, with the fields the caller's scopes allow.</summary>
public sealed class ApiModels(Core.Hosting.HubOptions hub)
{
    /// <summary>The user model: name and kind always; the rest with <c>read:users</c>, servers with <c>read:servers</c>.</summary>
    public UserResponse User(UserRecord user, IReadOnlyList<ServerRecord> servers, ScopeSet scopes, bool includeStopped)
    {
        var model = new UserResponse { Name = user.Name };
        if (scopes.Allows("read:users", user.Name, user.Groups))
        {
            model = model with
            {
                Admin = user.Admin,
                Roles = user.Admin ? ["admin", "user"] : ["user"],
                Groups = user.Groups,
                Created = ApiJson.Time(user.Created),
                LastActivity = ApiJson.Time(user.LastActivity),
            };
        }
        else
        {
            if (scopes.Allows("read:users:groups", user.Name, user.Groups))
            {
                model = model with { Groups = user.Groups };
            }
            if (scopes.Allows("read:users:activity", user.Name, user.Groups))
            {
                model = model with { LastActivity = ApiJson.Time(user.LastActivity) };
            }
        }
        if (scopes.AllowsAnyServerOf("read:servers", user.Name, user.Groups))
        {
            var defaultServer = servers.FirstOrDefault(s => s.Name.Length == 0);
            var visible = new Dictionary<string, ServerResponse>(StringComparer.Ordinal);
            foreach (var server in servers)
            {
                if ((includeStopped || IsActive(server)) && scopes.Allows("read:servers", user.Name, user.Groups, server.Name))
                {
                    visible[server.Name] = Server(server, scopes.Allows("admin:server_state", user.Name, user.Groups, server.Name));
                }
            }
            model = model with
            {
                Server = defaultServer is not null && IsReady(defaultServer) ? ServerUrls.BasePath(user.Name, "") : null,
                Pending = defaultServer is null ? null : Pending(defaultServer),
                Servers = visible,
            };
        }
        return model;
    }

    public ServerResponse Server(ServerRecord server, bool withState)
    {
        string url = ServerUrls.BasePath(server.User, server.Name);
        string progress = ServerUrls.ProgressPath(server.User, server.Name);
        bool ready = IsReady(server);
        string? pending = Pending(server);
        return new ServerResponse
        {
            Name = server.Name,
            Ready = ready,
            Stopped = !ready && pending is null,
            Pending = pending,
            Url = url,
            FullUrl = new Uri(hub.PublicUrl, url).AbsoluteUri,
            ProgressUrl = progress,
            FullProgressUrl = new Uri(hub.PublicUrl, progress).AbsoluteUri,
            Started = ApiJson.Time(server.Started),
            LastActivity = ApiJson.Time(server.LastActivity ?? server.Started ?? server.Requested),
            UserOptions = server.Profile is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["profile"] = server.Profile },
            UsedSeconds = server.UsedSeconds,
            LastActivityKind = server.LastActivityKind is { } kind ? ActivityKinds.Label(kind) : null,
            State = withState ? new ServerStateResponse(server.SpawnerState, server.Phase.ToString()) : null,
        };
    }

    /// <summary>
    /// The group model: name and kind always; members and (empty) properties with <c>read:groups</c> for it; its
    /// (no) roles with <c>read:roles:groups</c>. Group properties and group roles are not stored by this hub.
    /// </summary>
    public static GroupResponse Group(string name, IReadOnlyList<string> members, ScopeSet scopes)
    {
        bool read = scopes.AllowsGroup("read:groups", name);
        return new GroupResponse
        {
            Name = name,
            Users = read ? members : null,
            Properties = read ? new Dictionary<string, string>() : null,
            Roles = scopes.AllowsGroup("read:roles:groups", name) ? [] : null,
        };
    }

    public static TokenResponse Token(TokenRecord token, string? secret = null) => new()
    {
        Id = token.Id,
        User = token.User,
        Scopes = token.Scopes,
        Note = token.Note ?? "",
        Created = ApiJson.Time(token.Created),
        ExpiresAt = ApiJson.Time(token.Expires),
        LastActivity = ApiJson.Time(token.LastActivity),
        Token = secret,
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
