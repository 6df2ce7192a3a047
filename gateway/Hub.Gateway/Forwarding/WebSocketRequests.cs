using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>Recognises a WebSocket handshake: an HTTP/1.1 <c>Upgrade: websocket</c> or an HTTP/2 extended CONNECT for <c>websocket</c> (RFC 8441).</summary>
public static class WebSocketRequests
{
    public static bool IsWebSocket(HttpContext context)
    {
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }
        return context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            && string.Equals(context.Request.Headers[HeaderNames.Upgrade], "websocket", StringComparison.OrdinalIgnoreCase);
    }
}
