using System.Net;

namespace Hub.Functions.Auth;

/// <summary>
/// The client a request comes from, for rate limits. The control plane only listens on loopback behind the gateway
/// or the Functions host, which add <c>X-Forwarded-For</c>; the header is believed only from a loopback peer.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && IPAddress.IsLoopback(remote)
            && context.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded)
        {
            // The last hop is the one our own proxy appended; earlier ones are whatever the client claimed.
            string last = forwarded.Split(',')[^1].Trim();
            if (IPAddress.TryParse(last, out var parsed))
            {
                return parsed.ToString();
            }
        }
        return remote?.ToString() ?? "unknown";
    }
}
