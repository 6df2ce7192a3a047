using Hub.Core.Culling;
using Hub.Core.Store;

namespace Hub.Gateway.Activity;

/// <summary>
/// What the gateway records as a server's activity, per <see cref="CullerOptions.ActivitySource"/>. With
/// <see cref="ActivitySource.Traffic"/>: every request, response chunk and WebSocket frame. With
/// <see cref="ActivitySource.User"/>: a request that changes something (any method but GET, HEAD and OPTIONS), a new
/// WebSocket connection, and what a client sends that a person typed: <c>execute_request</c> on a kernel's channels
/// and <c>stdin</c> on a terminal. An open tab's polling and everything a server sends are not recorded.
/// </summary>
public sealed class ActivityRules(CullerOptions culler)
{
    public const string KernelV1Protocol = "v1.kernel.websocket.jupyter.org";

    /// <summary>Every request, chunk and frame counts.</summary>
    public bool CountsTraffic => culler.ActivitySource == ActivitySource.Traffic;

    /// <summary>The kind a request counts as when it arrives, or <c>null</c> when it does not count by itself.</summary>
    /// <param name="webSocket">A WebSocket handshake: under <see cref="ActivitySource.User"/> it counts once connected.</param>
    public ActivityKind? ForRequest(HttpRequest request, bool webSocket)
    {
        if (CountsTraffic)
        {
            return ActivityKind.Traffic;
        }
        string method = request.Method;
        return webSocket || HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? null : ActivityKind.Request;
    }

    /// <summary>
    /// Under <see cref="ActivitySource.User"/>, what reads the client's frames on this WebSocket: a kernel's channels
    /// or a terminal; <c>null</c> for any other WebSocket (only its connection counts) and under traffic.
    /// </summary>
    /// <param name="path">The request path (<c>/user/{name}/[{server}/]…</c>).</param>
    /// <param name="subProtocol">The subprotocol the server chose.</param>
    public IMessageInspector? InspectorFor(string path, string? subProtocol)
    {
        if (CountsTraffic)
        {
            return null;
        }
        if (path.EndsWith("/channels", StringComparison.Ordinal) && path.Contains("/api/kernels/", StringComparison.Ordinal))
        {
            return new KernelMessageInspector(string.Equals(subProtocol, KernelV1Protocol, StringComparison.Ordinal));
        }
        if (path.Contains("/terminals/websocket/", StringComparison.Ordinal))
        {
            return new TerminalInputInspector();
        }
        return null;
    }
}
