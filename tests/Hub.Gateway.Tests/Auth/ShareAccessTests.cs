using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Gateway.Tests.Jupyter;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Auth;

/// <summary>
/// The gateway honours JupyterHub 5's shares: a user holding <c>access:servers!server=owner/name</c> through a share
/// (to the user or to one of the user's groups) opens that one server, with the owner's server token injected as
/// for the owner; no other server. Revoking the share ends access, also of open WebSockets, within the credential
/// cache time (<c>Gateway__CredentialCacheDuration</c>, 2 s).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ShareAccessTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    /// <summary>What the tests allow for revocation to reach the gateway: the 2 s cache, plus a slow machine's margin.</summary>
    private static readonly TimeSpan RevocationBound = TimeSpan.FromSeconds(5);

    private static readonly ServerKey AliceDefault = new("alice", "");

    private Task<ShareRecord> ShareAsync(ServerKey server, ShareRecipient recipient) =>
        ShareGrants.GrantAsync(Gateway.Store, server, recipient, ShareScopes.Default(server), DateTimeOffset.UtcNow, CancellationToken.None);

    private async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    [Fact]
    public async Task Share_OpensThatServerOnly_WithTheOwnersTokenInjected()
    {
        await Gateway.AddUserAsync("ta");
        await Gateway.AddUserAsync("bob");
        var route = await Gateway.AddRouteAsync("alice", Backend.Address);
        await Gateway.AddRouteAsync("alice", Backend.Address, server: "other");
        await Gateway.AddRouteAsync("bob", Backend.Address);
        using var ta = Gateway.CreateClient(await Gateway.StartSessionAsync("ta"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ta, "/user/alice/api/status"));

        await ShareAsync(AliceDefault, ShareRecipient.User("ta"));
        // The refusal above is cached like any credential check: a new share, too, lands within the cache time.
        await Eventually.UntilAsync(async () => await StatusAsync(ta, "/user/alice/api/status") == HttpStatusCode.OK,
            RevocationBound, "the new share to be honoured");

        var echo = await EchoOf(await ta.GetAsync("/user/alice/api/status"));
        Assert.Equal("/user/alice/api/status", echo.RawTarget);
        Assert.Equal("token " + Gateway.ServerTokenOf(route), echo.Headers["Authorization"]);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ta, "/user/alice/other/api/status"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ta, "/user/bob/api/status"));
        Assert.DoesNotContain(Backend.Requests, r => r.RawTarget.StartsWith("/user/alice/other/", StringComparison.Ordinal) || r.RawTarget.StartsWith("/user/bob/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupShare_OpensTheServerForMembers_AndTokensOnlyWithAccessScope()
    {
        await Gateway.Store.Users.CreateAsync(new UserRecord { Name = "ta", Created = DateTimeOffset.UtcNow, Groups = ["tas"] });
        await Gateway.AddUserAsync("outsider");
        await Gateway.AddRouteAsync("alice", Backend.Address);
        await ShareAsync(AliceDefault, ShareRecipient.Group("tas"));
        using var member = Gateway.CreateClient(await Gateway.StartSessionAsync("ta"));
        using var outsider = Gateway.CreateClient(await Gateway.StartSessionAsync("outsider"));
        using var accessToken = Gateway.CreateClient();
        accessToken.DefaultRequestHeaders.Add("Authorization", "token " + await Gateway.AddTokenAsync("ta", ["access:servers"]));
        using var readToken = Gateway.CreateClient();
        readToken.DefaultRequestHeaders.Add("Authorization", "token " + await Gateway.AddTokenAsync("ta", ["read:users!user=ta"]));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(member, "/user/alice/api/status"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(accessToken, "/user/alice/api/status"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(readToken, "/user/alice/api/status"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(outsider, "/user/alice/api/status"));
    }

    [Fact]
    public async Task RevokedShare_IsRefusedWithinTheCredentialCacheTime()
    {
        await Gateway.AddUserAsync("ta");
        await Gateway.AddRouteAsync("alice", Backend.Address);
        var share = await ShareAsync(AliceDefault, ShareRecipient.User("ta"));
        using var ta = Gateway.CreateClient(await Gateway.StartSessionAsync("ta"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(ta, "/user/alice/api/status"));

        // The DELETE of the sharing API deletes the record; the gateway learns it from its next lookup.
        await Gateway.Store.Shares.DeleteAsync(share.Key);
        var revoked = Stopwatch.StartNew();
        await Eventually.UntilAsync(async () => await StatusAsync(ta, "/user/alice/api/status") == HttpStatusCode.Forbidden,
            RevocationBound, "the revoked share to be refused");

        Assert.True(revoked.Elapsed < RevocationBound, $"took {revoked.Elapsed}");
    }

    [Fact]
    public async Task RealJupyter_SharedKernelRuns_AndRevokingClosesItsWebSocket()
    {
        await Gateway.AddUserAsync("ta");
        await using var jupyter = await JupyterServer.StartRoutedAsync(Gateway, "alice");
        var share = await ShareAsync(AliceDefault, ShareRecipient.User("ta"));
        string session = await Gateway.StartSessionAsync("ta");
        using var ta = Gateway.CreateClient(session);
        ta.DefaultRequestHeaders.Add("Origin", Gateway.Origin);

        await using var kernel = await KernelSession.StartAsync(Gateway, ta, "alice", session, () => jupyter.Output);
        Assert.Equal("2", await kernel.ExecuteAsync("1+1"));

        await Gateway.Store.Shares.DeleteAsync(share.Key);
        var revoked = Stopwatch.StartNew();
        var ended = await ReceiveUntilEndAsync(kernel.Socket, RevocationBound);
        revoked.Stop();

        Assert.True(ended, $"the shared kernel's WebSocket was still open {RevocationBound} after the share was revoked");
        Assert.True(revoked.Elapsed < RevocationBound, $"took {revoked.Elapsed}");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ta, "/user/alice/api/status"));
        using var owner = Gateway.CreateClient(AliceSession);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(owner, "/user/alice/api/status"));
    }

    /// <summary>Reads (and drops) messages until the socket closes or fails; false when it is still open after <paramref name="within"/>.</summary>
    private static async Task<bool> ReceiveUntilEndAsync(WebSocket socket, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, deadline.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }
}
