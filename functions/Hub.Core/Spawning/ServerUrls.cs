using System.Text;
using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>The URL paths of a server, escaped as JupyterHub escapes them (Python's <c>quote(name, safe='@~')</c>).</summary>
public static class ServerUrls
{
    /// <summary><c>/user/{name}/</c> for the default server, <c>/user/{name}/{server}/</c> for a named one.</summary>
    public static string BasePath(ServerKey server) =>
        "/user/" + EscapeSegment(server.User) + "/" + (server.Server.Length == 0 ? "" : EscapeSegment(server.Server) + "/");

    /// <summary>The path Jupyter answers with its status (the readiness check).</summary>
    public static string StatusPath(ServerKey server) => BasePath(server) + "api/status";

    /// <summary>Percent-encodes everything but ASCII letters, digits and <c>-._~@</c>, as UTF-8.</summary>
    public static string EscapeSegment(string segment)
    {
        var builder = new StringBuilder(segment.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(segment))
        {
            char c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_' or '~' or '@')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
