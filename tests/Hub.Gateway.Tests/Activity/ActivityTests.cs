using Hub.Core.Store;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Activity;

/// <summary>What the gateway records with <c>Culler__ActivitySource=traffic</c>, and how it writes it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ActivityTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // Today's behaviour, as JupyterHub's proxy counts: every request, chunk and frame (UserActivityTests: the default).
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:ActivityWriteInterval"] = "300ms",
        ["Culler:ActivitySource"] = "traffic",
    };

    [Fact]
    public async Task Requests_RecordedOnTheServerAndItsUser()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        await Gateway.Store.Servers.CreateAsync(new ServerRecord { User = "alice", Desired = ServerDesiredState.Running, Phase = ServerPhase.Running });
        var before = DateTimeOffset.UtcNow;
        using var client = Gateway.CreateClient(AliceSession);

        await EchoOf(await client.GetAsync("/user/alice/api/contents"));

        await Eventually.UntilAsync(async () => (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))?.LastActivity >= before,
            Patience, "the server's LastActivity to be written");
        await Eventually.UntilAsync(async () => (await Gateway.Store.Users.GetAsync("alice"))?.LastActivity >= before,
            Patience, "the user's LastActivity to be written");
        Assert.Equal(ActivityKind.Traffic, (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))!.LastActivityKind);
    }

    [Fact]
    public async Task WebSocketFrames_KeepTheServerActive()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        await Gateway.Store.Servers.CreateAsync(new ServerRecord { User = "alice", Desired = ServerDesiredState.Running, Phase = ServerPhase.Running });
        using var socket = await WebSockets.ConnectAsync(Gateway, "/user/alice/ws", AliceSession);
        await Eventually.UntilAsync(async () => (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))?.LastActivity is not null,
            Patience, "the handshake's activity to be written");
        var afterHandshake = (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))!.LastActivity!.Value;

        await WebSockets.SendTextAsync(socket, "still here");
        await WebSockets.ReceiveTextAsync(socket);

        await Eventually.UntilAsync(async () => (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))?.LastActivity > afterHandshake,
            Patience, "a frame's activity to move LastActivity forward");
    }

    [Fact]
    public async Task KernelChannel_AnyFrame_KeepsTheServerActive_AsTraffic()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        await Gateway.Store.Servers.CreateAsync(new ServerRecord { User = "alice", Desired = ServerDesiredState.Running, Phase = ServerPhase.Running });
        using var socket = await WebSockets.ConnectAsync(Gateway, "/user/alice/api/kernels/k1/channels", AliceSession);
        await Eventually.UntilAsync(async () => (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))?.LastActivity is not null,
            Patience, "the handshake's activity to be written");
        var afterHandshake = (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))!.LastActivity!.Value;

        await WebSockets.SendTextAsync(socket, KernelMessages.Json("kernel_info_request"));
        await WebSockets.ReceiveTextAsync(socket);

        await Eventually.UntilAsync(async () => (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))?.LastActivity > afterHandshake,
            Patience, "a kernel_info_request to move LastActivity forward");
        Assert.Equal(ActivityKind.Traffic, (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))!.LastActivityKind);
    }

    [Fact]
    public async Task Activity_LaterTimeAlreadyStored_IsNotMovedBack()
    {
        // Another replica (or the server's own report) already wrote a later time.
        var later = DateTimeOffset.UtcNow.AddMinutes(10);
        await Gateway.AddRouteAsync("alice", Backend.Address);
        await Gateway.Store.Servers.CreateAsync(new ServerRecord { User = "alice", Phase = ServerPhase.Running, LastActivity = later });
        await Gateway.Store.Users.ChangeAsync("alice", u => u with { LastActivity = later });
        using var client = Gateway.CreateClient(AliceSession);

        await EchoOf(await client.GetAsync("/user/alice/api/contents"));
        // At least one: the request and its response body each note activity, and a write interval may fall between them.
        await Eventually.UntilAsync(() => Task.FromResult(GatewayInstruments.Read(Gateway, "hub_gateway_activity_writes_total") >= 1), Patience, "an activity write");

        Assert.Equal(later, (await Gateway.Store.Servers.GetAsync(new ServerKey("alice", "")))!.LastActivity);
        Assert.Equal(later, (await Gateway.Store.Users.GetAsync("alice"))!.LastActivity);
    }
}
