using System.Net.WebSockets;
using System.Text;
using Hub.Core.Store;
using Hub.Gateway.Activity;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Activity;

/// <summary>
/// What the gateway records with <c>Culler__ActivitySource=user</c> (the default), through the real gateway to a real
/// WebSocket backend: each counted kind, and what an open tab does that must not count. The write interval is long,
/// so each test reads what the gateway recorded in memory after each step (a step is over when its response or echo
/// has come back, and the gateway records before it forwards); one test follows it into the store.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class UserActivityTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    private const string Kernel = "/user/alice/api/kernels/k1/channels";
    private const string Terminal = "/user/alice/terminals/websocket/1";
    private static readonly ServerKey Alice = new("alice", "");

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:ActivityWriteInterval"] = "01:00:00" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Gateway.AddRouteAsync("alice", Backend.Address);
        await Gateway.Store.Servers.CreateAsync(new ServerRecord { User = "alice", Desired = ServerDesiredState.Running, Phase = ServerPhase.Running });
    }

    /// <summary>The kind recorded for alice's server since the last call, or null.</summary>
    private ActivityKind? Recorded() => Gateway.Get<ActivityRecorder>().TakePending().TryGetValue(Alice, out var entry) ? entry.Kind : null;

    private async Task<ClientWebSocket> ConnectAsync(string path, string? subProtocol = null)
    {
        var socket = await WebSockets.ConnectAsync(Gateway, path, AliceSession, subProtocol: subProtocol);
        Assert.Equal(ActivityKind.WebSocket, Recorded());
        return socket;
    }

    private static async Task SendAndEchoAsync(ClientWebSocket socket, string text)
    {
        await WebSockets.SendTextAsync(socket, text);
        Assert.Equal(text, await WebSockets.ReceiveTextAsync(socket));
    }

    private static async Task SendAndEchoAsync(ClientWebSocket socket, byte[] data)
    {
        using var timeout = new CancellationTokenSource(WebSockets.Patience);
        await socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        var (type, echoed) = await WebSockets.ReceiveAsync(socket);
        Assert.Equal((WebSocketMessageType.Binary, data.Length), (type, echoed.Length));
    }

    [Fact]
    public async Task PollingRequests_AreNotActivity()
    {
        using var client = Gateway.CreateClient(AliceSession);

        await EchoOf(await client.GetAsync("/user/alice/api/sessions"));
        await EchoOf(await client.GetAsync("/user/alice/api/contents?content=1"));
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/user/alice/api/kernels"))).EnsureSuccessStatusCode();
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/user/alice/api/kernels"))).EnsureSuccessStatusCode();

        Assert.Null(Recorded());
    }

    [Theory]
    [InlineData("PUT", "/user/alice/api/contents/notes.ipynb")]
    [InlineData("POST", "/user/alice/api/kernels")]
    [InlineData("PATCH", "/user/alice/api/contents/a.txt")]
    [InlineData("DELETE", "/user/alice/api/sessions/s1")]
    public async Task RequestsThatChangeSomething_AreRequestActivity(string method, string path)
    {
        using var client = Gateway.CreateClient(AliceSession);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", Gateway.Origin);

        await EchoOf(await client.SendAsync(request));

        Assert.Equal(ActivityKind.Request, Recorded());
    }

    [Fact]
    public async Task NewWebSocket_IsActivity_ButNeitherItsFramesNorTheServersAre()
    {
        using var socket = await ConnectAsync("/user/alice/ws");

        await SendAndEchoAsync(socket, "a message on some other WebSocket");

        Assert.Null(Recorded());
    }

    [Fact]
    public async Task KernelChannel_ExecuteRequest_IsExecuteActivity_OtherMessagesAndServerFramesAreNot()
    {
        using var socket = await ConnectAsync(Kernel);

        await SendAndEchoAsync(socket, KernelMessages.Json("kernel_info_request"));
        await SendAndEchoAsync(socket, KernelMessages.Json("comm_msg", code: "\"msg_type\": \"execute_request\""));
        await SendAndEchoAsync(socket, KernelMessages.Json("input_reply", parentType: "execute_request"));
        Assert.Null(Recorded());

        await SendAndEchoAsync(socket, KernelMessages.Json("execute_request", code: "print('hi')"));
        Assert.Equal(ActivityKind.Execute, Recorded());
    }

    [Fact]
    public async Task KernelChannel_LongCellInFragments_IsFoundAfterTheCode()
    {
        using var socket = await ConnectAsync(Kernel);
        // 200 KB of code before the header, sent in three fragments split inside the code and inside the header.
        byte[] message = Encoding.UTF8.GetBytes(KernelMessages.Json("execute_request", code: new string('x', 200_000)));
        int header = Encoding.UTF8.GetString(message).IndexOf("\"header\"", StringComparison.Ordinal) + 20;
        using var timeout = new CancellationTokenSource(WebSockets.Patience);

        await socket.SendAsync(message.AsMemory(0, 70_000), WebSocketMessageType.Text, endOfMessage: false, timeout.Token);
        await socket.SendAsync(message.AsMemory(70_000, header - 70_000), WebSocketMessageType.Text, endOfMessage: false, timeout.Token);
        await socket.SendAsync(message.AsMemory(header), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var (_, echoed) = await WebSockets.ReceiveAsync(socket);

        Assert.Equal(message.Length, echoed.Length);
        Assert.Equal(ActivityKind.Execute, Recorded());
    }

    [Fact]
    public async Task KernelChannel_V1Protocol_ExecuteRequestIsFoundInTheBinaryLayout()
    {
        using var socket = await ConnectAsync(Kernel, ActivityRules.KernelV1Protocol);
        Assert.Equal(ActivityRules.KernelV1Protocol, socket.SubProtocol);

        await SendAndEchoAsync(socket, KernelMessages.V1("kernel_info_request"));
        await SendAndEchoAsync(socket, KernelMessages.V1("complete_request", code: "pri"));
        Assert.Null(Recorded());

        await SendAndEchoAsync(socket, KernelMessages.V1("execute_request", code: "import time; time.sleep(60)"));
        Assert.Equal(ActivityKind.Execute, Recorded());
    }

    [Fact]
    public async Task Terminal_TypedInput_IsTerminalActivity_ResizesAreNot()
    {
        using var socket = await ConnectAsync(Terminal);

        await SendAndEchoAsync(socket, """["set_size", 24, 80, 600, 800]""");
        Assert.Null(Recorded());

        await SendAndEchoAsync(socket, """["stdin", "ls\r"]""");
        Assert.Equal(ActivityKind.Terminal, Recorded());
    }

    [Fact]
    public async Task Handshake_CompressionIsNotOffered_SoEveryFrameCanBeRead()
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", $"{Hub.Core.Security.HubCookies.Session}={AliceSession}");
        socket.Options.SetRequestHeader("Origin", Gateway.Origin);
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        using var timeout = new CancellationTokenSource(WebSockets.Patience);

        await socket.ConnectAsync(new Uri("ws://" + Gateway.Address.Authority + Kernel), timeout.Token);
        await SendAndEchoAsync(socket, KernelMessages.Json("execute_request", code: "1+1"));

        var handshake = Backend.Requests.Last(r => r.RawTarget.EndsWith("/channels", StringComparison.Ordinal));
        Assert.DoesNotContain(handshake.Headers.Keys, name => name.Equals("Sec-WebSocket-Extensions", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(ActivityKind.Execute, Recorded());
        socket.Dispose();
    }

    [Fact]
    public async Task CountedActivity_IsWrittenWithItsKind_ForwardOnly()
    {
        using var client = Gateway.CreateClient(AliceSession);
        using var save = new HttpRequestMessage(HttpMethod.Put, "/user/alice/api/contents/a.txt") { Content = new StringContent("{}") };
        save.Headers.Add("Origin", Gateway.Origin);
        await EchoOf(await client.SendAsync(save));

        await Gateway.Get<ActivityWriter>().WritePendingAsync(CancellationToken.None);

        var record = (await Gateway.Store.Servers.GetAsync(Alice))!;
        Assert.Equal(ActivityKind.Request, record.LastActivityKind);
        Assert.NotNull(record.LastActivity);
        Assert.NotNull((await Gateway.Store.Users.GetAsync("alice"))!.LastActivity);
    }
}
