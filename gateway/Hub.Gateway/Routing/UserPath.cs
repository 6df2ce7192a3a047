using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Gateway.Routing;

/// <summary>
/// A request path under <c>/user/</c>, read from the raw request target so that names holding <c>/</c>, <c>#</c>,
/// <c>?</c> or <c>%</c> (which arrive percent-encoded) decode exactly once.
/// </summary>
/// <param name="User">The decoded user name.</param>
/// <param name="NextSegment">The decoded segment after the name (a named server, or the start of the path), or <c>null</c>.</param>
/// <param name="Rest">Everything after the name's segment, raw: <c>/tree?x=1</c>, <c>/</c>, or empty.</param>
public sealed record UserPath(string User, string? NextSegment, string Rest)
{
    // The name's and the next segment's text as sent, to tell whether the server's base URL arrived in its canonical form.
    private string RawName { get; init; } = "";
    private string? RawNext { get; init; }

    private const string Prefix = "/user/";

    /// <summary>Parses a raw path and query; false when it is not <c>/user/{name}…</c> or holds dot segments.</summary>
    public static bool TryParse(string rawPathAndQuery, out UserPath path, out string problem)
    {
        path = null!;
        problem = "";
        if (!rawPathAndQuery.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = "The path does not start with /user/.";
            return false;
        }
        int queryStart = rawPathAndQuery.IndexOf('?', StringComparison.Ordinal);
        string rawPath = queryStart < 0 ? rawPathAndQuery : rawPathAndQuery[..queryStart];
        if (HasDotSegment(rawPath))
        {
            problem = "The path holds '.' or '..' segments, which browsers never send.";
            return false;
        }

        int nameEnd = rawPath.IndexOf('/', Prefix.Length);
        string nameSegment = nameEnd < 0 ? rawPath[Prefix.Length..] : rawPath[Prefix.Length..nameEnd];
        string user = Uri.UnescapeDataString(nameSegment);
        if (user.Length == 0)
        {
            problem = "The path names no user.";
            return false;
        }
        string rest = nameEnd < 0 ? rawPathAndQuery[rawPath.Length..] : rawPathAndQuery[nameEnd..];

        string? next = null, rawNext = null;
        if (nameEnd >= 0)
        {
            rawNext = RawSegmentAfter(rawPath, nameEnd);
            next = rawNext.Length == 0 ? null : Uri.UnescapeDataString(rawNext);
        }
        path = new UserPath(user, next, rest) { RawName = nameSegment, RawNext = rawNext };
        return true;
    }

    /// <summary>Where the hub shows this server's state (and offers to start it): <c>/hub/user/{name}{rest}</c>.</summary>
    public string HubLocation => ServerUrls.HubUserPath(User).TrimEnd('/') + (Rest.Length == 0 ? "/" : Rest);

    /// <summary>
    /// The request target with <paramref name="server"/>'s base URL escaped as the server was started with it
    /// (<see cref="ServerUrls"/>), or <c>null</c> when it already is. Jupyter matches its base URL
    /// as text, so <c>/user/ada%40example.org/</c> would miss a server started at <c>/user/ada@example.org/</c>.
    /// </summary>
    public string? CanonicalTarget(ServerKey server)
    {
        bool named = server.Server.Length > 0;
        if (ServerUrls.IsEscapedAs(RawName, server.User)
            && (!named || (RawNext is not null && ServerUrls.IsEscapedAs(RawNext, server.Server))))
        {
            return null;
        }
        // Rest starts at the '/' after the name; a named server's segment follows that '/'.
        string after = named ? Rest[(1 + RawNext!.Length)..] : Rest;
        return ServerUrls.BasePath(server).TrimEnd('/') + after;
    }

    private static string RawSegmentAfter(string rawPath, int slash)
    {
        int end = rawPath.IndexOf('/', slash + 1);
        return end < 0 ? rawPath[(slash + 1)..] : rawPath[(slash + 1)..end];
    }

    /// <summary>
    /// Whether a raw path holds a <c>.</c> or <c>..</c> segment, plain or percent-encoded. Browsers never send one;
    /// the server behind would resolve it, so <c>/hub/../reconcile</c> would reach a path outside <c>/hub/</c>.
    /// </summary>
    public static bool HasDotSegment(string rawPath)
    {
        // Every forwarded request passes here: segments are looked at in place, and only a short one with an escape is decoded.
        foreach (var range in rawPath.AsSpan().Split('/'))
        {
            var segment = rawPath.AsSpan()[range];
            if (segment is "." or ".."
                || (segment.Length is > 0 and <= 6 && segment.Contains('%') && Uri.UnescapeDataString(segment) is "." or ".."))
            {
                return true;
            }
        }
        return false;
    }
}
