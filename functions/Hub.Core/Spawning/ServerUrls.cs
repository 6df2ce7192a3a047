using System.Text;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// The one builder of the URL paths that name a user or a server: the server's base URL (what Jupyter is started
/// with, what the API reports, where the gateway and the pages send people), its progress stream and the hub's pages
/// for it. Names are escaped as JupyterHub escapes them, Python's <c>quote(name, safe='@~')</c>, so an e-mail address
/// stays readable and a server answers at exactly the path it was started with. <c>web/static/js/api.js</c> mirrors
/// <see cref="EscapeSegment"/>; a test keeps the two equal.
/// </summary>
public static class ServerUrls
{
    /// <summary><c>/user/{name}/</c> for the default server, <c>/user/{name}/{server}/</c> for a named one.</summary>
    public static string BasePath(ServerKey server) => BasePath(server.User, server.Server);

    /// <inheritdoc cref="BasePath(ServerKey)"/>
    public static string BasePath(string user, string server) =>
        "/user/" + EscapeSegment(user) + "/" + (server.Length == 0 ? "" : EscapeSegment(server) + "/");

    /// <summary>The path Jupyter answers with its status (the readiness check).</summary>
    public static string StatusPath(ServerKey server) => BasePath(server) + "api/status";

    /// <summary><c>/hub/api/users/{name}/server/progress</c> or <c>…/servers/{server}/progress</c>: the spawn's event stream.</summary>
    public static string ProgressPath(string user, string server) =>
        "/hub/api/users/" + EscapeSegment(user) + (server.Length == 0 ? "/server/progress" : "/servers/" + EscapeSegment(server) + "/progress");

    /// <summary><c>/hub/spawn-pending/{name}[/{server}]</c>: the page that follows a start.</summary>
    public static string SpawnPendingPath(string user, string server) =>
        "/hub/spawn-pending/" + EscapeSegment(user) + (server.Length == 0 ? "" : "/" + EscapeSegment(server));

    /// <summary><c>/hub/user/{name}/</c>: where the hub explains a server that is not running and offers to start it.</summary>
    public static string HubUserPath(string user) => "/hub" + BasePath(user, "");

    /// <summary>Percent-encodes everything but ASCII letters, digits and <c>-._~@</c>, as UTF-8 with upper-case hex.</summary>
    public static string EscapeSegment(string segment)
    {
        if (IsCanonicalSegment(segment))
        {
            return segment;
        }
        var builder = new StringBuilder(segment.Length + 8);
        foreach (byte b in Encoding.UTF8.GetBytes(segment))
        {
            if (IsKept((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// Whether <paramref name="rawSegment"/> is exactly <see cref="EscapeSegment"/> of the name it decodes to, so that
    /// a request carrying it reaches a server started with that name's base URL unchanged.
    /// </summary>
    public static bool IsEscapedAs(ReadOnlySpan<char> rawSegment, string name) =>
        IsCanonicalSegment(rawSegment) ? rawSegment.SequenceEqual(name) : rawSegment.SequenceEqual(EscapeSegment(name));

    private static bool IsCanonicalSegment(ReadOnlySpan<char> segment)
    {
        foreach (char c in segment)
        {
            if (!IsKept(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsKept(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_' or '~' or '@';
}
