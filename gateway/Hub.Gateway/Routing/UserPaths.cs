using Hub.Core.Store;

namespace Hub.Gateway.Routing;

/// <summary>The canonical URL paths of users and servers: names percent-encoded as one segment each.</summary>
public static class UserPaths
{
    /// <summary><c>/user/{name}/</c>.</summary>
    public static string UserPrefix(string user) => "/user/" + Uri.EscapeDataString(user) + "/";

    /// <summary><c>/user/{name}/</c> or, for a named server, <c>/user/{name}/{server}/</c>: the server's base URL.</summary>
    public static string ServerPrefix(ServerKey server) =>
        server.Server.Length == 0 ? UserPrefix(server.User) : UserPrefix(server.User) + Uri.EscapeDataString(server.Server) + "/";
}
