using System.Net.WebSockets;
using System.Text;
using Hub.Core.Security;

namespace Hub.Gateway.Tests.Support;

/// <summary>WebSocket helpers for tests: connect through the gateway as a browser would, and receive whole messages with a deadline.</summary>
public static class WebSockets
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<ClientWebSocket> ConnectAsync(RunningGateway gateway, string path, string? session, string? origin = null, string? subProtocol = null)
    {
        var socket = new ClientWebSocket();
        if (session is not null)
        {
            socket.Options.SetRequestHeader("Cookie", $"{HubCookies.Session}={session}");
        }
        socket.Options.SetRequestHeader("Origin", origin ?? gateway.Origin);
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri("ws://" + gateway.Address.Authority + path);
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(uri, timeout.Token);
        return socket;
    }

    public static async Task SendTextAsync(WebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next whole message (fragments joined), or the close frame's type with an empty body.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return (received.MessageType, message.ToArray());
            }
        }
    }

    public static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var (type, data) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(data);
    }
}
