using System.Net;
using Hub.Core.Security;

namespace Hub.Functions.Auth;

/// <summary>
/// The client a request comes from, for rate limits: the address the gateway signed (<see cref="ClientAddressHeader"/>),
/// which survives the Functions host's proxy. Without one (the control plane reached by itself, locally), the last
/// <c>X-Forwarded-For</c> entry from a loopback peer, then the peer.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext context)
    {
        if (context.RequestServices.GetService<ClientAddressHeader>()?.Verify(context.Request.Headers[ClientAddressHeader.Name].ToString()) is { } signed)
        {
            return signed.ToString();
        }
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
