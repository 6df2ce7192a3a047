using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Gateway.Routing;

/// <summary>The canonical URL paths of users and servers, as <see cref="ServerUrls"/> builds them for the whole hub.</summary>
public static class UserPaths
{
    /// <summary><c>/user/{name}/</c>.</summary>
    public static string UserPrefix(string user) => ServerUrls.BasePath(user, "");

    /// <summary><c>/user/{name}/</c> or, for a named server, <c>/user/{name}/{server}/</c>: the server's base URL.</summary>
    public static string ServerPrefix(ServerKey server) => ServerUrls.BasePath(server);
}
