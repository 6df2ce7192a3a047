using System.Net;
using System.Net.WebSockets;
using Hub.Gateway.Metrics;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Forwarding;

[Collection(AzuriteCollection.Name)]
public sealed class WebSocketForwardingTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    [Fact]
    public async Task WebSocket_Messages_RelayedBothWaysWithSubprotocolTokenAndWithoutHubCookie()
    {
        var route = await Gateway.AddRouteAsync("alice", Backend.Address);
        using var socket = await WebSockets.ConnectAsync(Gateway, "/user/alice/ws?session_id=1", AliceSession, subProtocol: "v1.kernel.websocket.jupyter.org");

        await WebSockets.SendTextAsync(socket, "hello");
        string echoed = await WebSockets.ReceiveTextAsync(socket);
        var big = new byte[200 * 1024];
        TestBackend.Fill(big, 7);
        await socket.SendAsync(big, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        var (type, data) = await WebSockets.ReceiveAsync(socket);

        Assert.Equal("hello", echoed);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(big, data);
        Assert.Equal("v1.kernel.websocket.jupyter.org", socket.SubProtocol);
        var handshake = Backend.Requests.Single(r => r.RawTarget.StartsWith("/user/alice/ws", StringComparison.Ordinal));
        Assert.Equal("/user/alice/ws?session_id=1", handshake.RawTarget);
        Assert.Equal("token " + Gateway.ServerTokenOf(route), handshake.Headers["Authorization"]);
        Assert.False(handshake.Headers.ContainsKey("Cookie"));
        Assert.Equal(Gateway.Origin, handshake.Headers["Origin"]);
        Assert.Equal(Gateway.Address.Authority, handshake.Headers["Host"]);
    }

    [Fact]
    public async Task WebSocket_Http2Client_RelayedToHttp11Backend()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.SetRequestHeader("Cookie", $"hub-session={AliceSession}");
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());

        await socket.ConnectAsync(new Uri($"ws://{Gateway.Http2Address.Authority}/user/alice/ws"), invoker, CancellationToken.None);
        await WebSockets.SendTextAsync(socket, "over h2");

        Assert.Equal("over h2", await WebSockets.ReceiveTextAsync(socket));
    }

    [Fact]
    public async Task WebSocket_BackendCloses_ClientSeesItsCodeAndReason()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var socket = await WebSockets.ConnectAsync(Gateway, "/user/alice/ws", AliceSession);

        await WebSockets.SendTextAsync(socket, "close:4001:kernel restarted");
        var (type, _) = await WebSockets.ReceiveAsync(socket);

        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal((WebSocketCloseStatus)4001, socket.CloseStatus);
        Assert.Equal("kernel restarted", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task WebSocket_ClientCloses_BackendSeesItsCodeAndOpenCountReturnsToZero()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        var metrics = Gateway.Get<GatewayMetrics>();
        using var socket = await WebSockets.ConnectAsync(Gateway, "/user/alice/ws", AliceSession);
        await WebSockets.SendTextAsync(socket, "ping");
        await WebSockets.ReceiveTextAsync(socket);
        Assert.Equal(1, metrics.OpenWebSockets);

        await socket.CloseAsync((WebSocketCloseStatus)4002, "tab closed", CancellationToken.None);
        var closed = await Backend.ClientClosed.Task.WaitAsync(WebSockets.Patience);

        Assert.Equal((WebSocketCloseStatus)4002, closed.Status);
        Assert.Equal("tab closed", closed.Description);
        Assert.Equal(WebSocketState.Closed, socket.State);
        await Eventually.UntilAsync(() => metrics.OpenWebSockets == 0, WebSockets.Patience, "the open WebSocket gauge to return to 0");
    }

    [Fact]
    public async Task WebSocket_ForeignOrigin_RefusedBeforeReachingTheServer()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        int before = Backend.Requests.Count;

        var failure = await Assert.ThrowsAsync<WebSocketException>(() => WebSockets.ConnectAsync(Gateway, "/user/alice/ws", AliceSession, origin: "https://evil.example"));

        Assert.NotNull(failure);
        Assert.Equal(before, Backend.Requests.Count);
    }

    [Fact]
    public async Task WebSocket_NoRoute_Is404()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", $"hub-session={AliceSession}");
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{Gateway.Address.Authority}/user/alice/ws"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);
    }

    [Theory]
    [InlineData("/user/alice/ws?refuse=403", HttpStatusCode.Forbidden)]
    [InlineData("/user/alice/ws?refuse=404", HttpStatusCode.NotFound)]
    [InlineData("/user/alice/not-a-socket", HttpStatusCode.OK)]
    public async Task WebSocket_BackendDoesNotSwitchProtocols_ClientGetsItsAnswer(string path, HttpStatusCode expected)
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", $"hub-session={AliceSession}");
        socket.Options.CollectHttpResponseDetails = true;

        // The echo endpoint (not-a-socket) answers the handshake with 200 and JSON instead of 101.
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{Gateway.Address.Authority}{path}"), CancellationToken.None));

        Assert.Equal(expected, socket.HttpStatusCode);
    }
}
