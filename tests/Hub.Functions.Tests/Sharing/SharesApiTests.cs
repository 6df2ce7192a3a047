using System.Net;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Functions.Tests.Api;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using static Hub.Functions.Tests.Sharing.SharingApi;

namespace Hub.Functions.Tests.Sharing;

/// <summary>
/// JupyterHub 5.5.1's sharing API (<c>/shares</c>, <c>/share-codes</c>, <c>/users/{name}/shared</c>,
/// <c>/groups/{name}/shared</c>) against the published spec, with JupyterHub's scopes: an owner shares their own
/// servers (by code; by name only with <c>read:users:name</c>), admins any; nobody shares another's server.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SharesApiTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> PublicUrl = new() { ["Hub:PublicUrl"] = "http://hub.example.edu:8000" };

    [Fact]
    public async Task AdminSharesWithUserAndGroup_ListsGetPatchDelete_MatchSpec()
    {
        await using var hub = await TestHub.StartAsync(azurite, PublicUrl);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        var ta = hub.Api(await hub.TokenAsync("ta"));
        await hub.TokenAsync("alice");
        await BodyAsync(await SendAsync(admin, HttpMethod.Post, "/hub/api/groups/tas/users", new { users = new[] { "ta" } }), HttpStatusCode.OK);

        string granted = await BodyAsync(await SendAsync(admin, HttpMethod.Post, "/hub/api/shares/alice/", new { user = "TA" }), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("post", "/shares/{owner}/{server_name}", 200, granted);
        var share = Json(granted);
        Assert.Equal("ta", share.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(JsonValueKindNull, share.GetProperty("group").ValueKind);
        Assert.Equal(["access:servers!server=alice/"], share.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("/user/alice/", share.GetProperty("server").GetProperty("url").GetString());
        Assert.Equal("http://hub.example.edu:8000/user/alice/", share.GetProperty("server").GetProperty("full_url").GetString());
        Assert.False(share.GetProperty("server").GetProperty("ready").GetBoolean());

        // A second grant adds scopes to the one share and keeps its date.
        string more = await BodyAsync(await SendAsync(admin, HttpMethod.Post, "/hub/api/shares/alice/", new { user = "ta", scopes = new[] { "read:servers", "access:servers!server=alice/" } }), HttpStatusCode.OK);
        Assert.Equal(["access:servers!server=alice/", "read:servers!server=alice/"], Json(more).GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(share.GetProperty("created_at").GetString(), Json(more).GetProperty("created_at").GetString());
        string group = await BodyAsync(await SendAsync(admin, HttpMethod.Post, "/hub/api/shares/alice/", new { group = "tas" }), HttpStatusCode.OK);
        Assert.Equal("tas", Json(group).GetProperty("group").GetProperty("name").GetString());

        string byServer = await BodyAsync(await admin.GetAsync("/hub/api/shares/alice/"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/shares/{owner}/{server_name}", 200, byServer);
        Assert.Equal(2, Items(byServer).Count);
        string byOwner = await BodyAsync(await admin.GetAsync("/hub/api/shares/alice?limit=1"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/shares/{owner}", 200, byOwner);
        Assert.Single(Items(byOwner));
        Assert.Equal(2, Json(byOwner).GetProperty("_pagination").GetProperty("total").GetInt32());
        Assert.StartsWith("http://hub.example.edu:8000/hub/api/shares/alice?", Json(byOwner).GetProperty("_pagination").GetProperty("next").GetProperty("url").GetString());

        // The recipient's side: the user's own and the group's share, readable by the TA itself.
        string mine = await BodyAsync(await ta.GetAsync("/hub/api/users/ta/shared"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/users/{name}/shared", 200, mine);
        Assert.Equal(["user", "group"], Items(mine).Select(i => i.GetProperty("kind").GetString()));
        string one = await BodyAsync(await ta.GetAsync("/hub/api/users/ta/shared/alice/"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/users/{name}/shared/{owner}/{server_name}", 200, one);
        string groupList = await BodyAsync(await admin.GetAsync("/hub/api/groups/tas/shared"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/groups/{name}/shared", 200, groupList);
        string groupOne = await BodyAsync(await admin.GetAsync("/hub/api/groups/tas/shared/alice/"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/groups/{name}/shared/{owner}/{server_name}", 200, groupOne);

        // The TA's own scopes now hold the share (as JupyterHub's GET /user shows them).
        string who = await BodyAsync(await ta.GetAsync("/hub/api/user"), HttpStatusCode.OK);
        Assert.Contains("access:servers!server=alice/", Json(who).GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // PATCH revokes some scopes, then the rest ({} when nothing is left); the group's share is not the TA's to leave.
        string patched = await BodyAsync(await SendAsync(admin, HttpMethod.Patch, "/hub/api/shares/alice/", new { user = "ta", scopes = new[] { "read:servers" } }), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("patch", "/shares/{owner}/{server_name}", 200, patched);
        Assert.Equal(["access:servers!server=alice/"], Json(patched).GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("{}", await BodyAsync(await SendAsync(admin, HttpMethod.Patch, "/hub/api/shares/alice/", new { user = "ta" }), HttpStatusCode.OK));
        Assert.Equal("{}", await BodyAsync(await SendAsync(admin, HttpMethod.Patch, "/hub/api/shares/alice/", new { user = "nobody-here" }), HttpStatusCode.OK));
        Assert.Null(await hub.Store.Shares.GetAsync(new ShareKey(new ServerKey("alice", ""), ShareRecipient.User("ta"))));
        await ProblemAsync(await ta.DeleteAsync("/hub/api/groups/tas/shared/alice/"), HttpStatusCode.NotFound);
        Assert.NotNull(await hub.Store.Shares.GetAsync(new ShareKey(new ServerKey("alice", ""), ShareRecipient.Group("tas"))));

        await BodyAsync(await admin.DeleteAsync("/hub/api/shares/alice/"), HttpStatusCode.NoContent);
        Assert.Empty(Items(await BodyAsync(await admin.GetAsync("/hub/api/shares/alice"), HttpStatusCode.OK)));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Owner_IssuesCodesForOwnServer_ListsAndRevokesThem_MatchSpec()
    {
        await using var hub = await TestHub.StartAsync(azurite, PublicUrl);
        var alice = hub.Api(await hub.TokenAsync("alice"));
        await hub.Store.Servers.CreateAsync(new ServerRecord { User = "alice", Name = "lab" });

        string issued = await BodyAsync(await SendAsync(alice, HttpMethod.Post, "/hub/api/share-codes/alice/lab", new { expires_in = 3600 }), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("post", "/share-codes/{owner}/{server_name}", 200, issued);
        var code = Json(issued);
        string secret = code.GetProperty("code").GetString()!;
        Assert.Equal("/hub/accept-share?code=" + secret, code.GetProperty("accept_url").GetString());
        Assert.Equal("http://hub.example.edu:8000/hub/accept-share?code=" + secret, code.GetProperty("full_accept_url").GetString());
        Assert.Equal(["access:servers!server=alice/lab"], code.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0, code.GetProperty("exchange_count").GetInt32());
        var expires = DateTimeOffset.Parse(code.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        // Only the hash is stored.
        var stored = await StoredCodesAsync(hub, "alice");
        Assert.Single(stored);
        Assert.NotEqual(secret, stored[0].Hash);
        Assert.Equal(Hub.Core.Security.SecretHash.Of(secret), stored[0].Hash);

        string defaultCode = await BodyAsync(await SendAsync(alice, HttpMethod.Post, "/hub/api/share-codes/alice/", new { }), HttpStatusCode.OK);
        var lifetime = DateTimeOffset.Parse(Json(defaultCode).GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow;
        Assert.InRange(lifetime, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));

        string list = await BodyAsync(await alice.GetAsync("/hub/api/share-codes/alice"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/share-codes/{owner}", 200, list);
        Assert.Equal(2, Items(list).Count);
        Assert.All(Items(list), i => Assert.False(i.TryGetProperty("code", out _)));
        string serverList = await BodyAsync(await alice.GetAsync("/hub/api/share-codes/alice/lab"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/share-codes/{owner}/{server_name}", 200, serverList);
        Assert.Single(Items(serverList));

        await ProblemAsync(await alice.DeleteAsync("/hub/api/share-codes/alice/lab?id=sc_nothing"), HttpStatusCode.NotFound);
        await ProblemAsync(await alice.DeleteAsync("/hub/api/share-codes/alice/?code=" + secret), HttpStatusCode.NotFound);
        await BodyAsync(await alice.DeleteAsync("/hub/api/share-codes/alice/lab?id=" + code.GetProperty("id").GetString()), HttpStatusCode.NoContent);
        await BodyAsync(await alice.DeleteAsync("/hub/api/share-codes/alice/?code=" + Json(defaultCode).GetProperty("code").GetString()), HttpStatusCode.NoContent);
        Assert.Empty(await StoredCodesAsync(hub, "alice"));
    }

    [Fact]
    public async Task Student_CannotShareAnotherUsersServer_NorByNameWithoutReadingNames()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var bob = hub.Api(await hub.TokenAsync("bob"));
        var alice = hub.Api(await hub.TokenAsync("alice"));
        await hub.TokenAsync("ta");
        var readOnly = hub.Api(await hub.TokenAsync("alice", new { note = "read", scopes = new[] { "read:servers!user=alice" } }));

        // Another's server: JupyterHub's answer for a filtered scope that does not cover the target (404, as for a missing user).
        Assert.StartsWith("No such user", await ProblemAsync(await SendAsync(bob, HttpMethod.Post, "/hub/api/shares/alice/", new { user = "bob" }), HttpStatusCode.NotFound));
        Assert.StartsWith("No such user", await ProblemAsync(await SendAsync(bob, HttpMethod.Post, "/hub/api/share-codes/alice/", new { }), HttpStatusCode.NotFound));
        Assert.StartsWith("No such user", await ProblemAsync(await bob.GetAsync("/hub/api/shares/alice"), HttpStatusCode.NotFound));
        // A token without any sharing scope: 403 naming the scope.
        Assert.Contains("shares", await ProblemAsync(await SendAsync(readOnly, HttpMethod.Post, "/hub/api/share-codes/alice/", new { }), HttpStatusCode.Forbidden));
        // By name needs read:users:name for the recipient, which students do not hold (JupyterHub: share by code instead).
        Assert.Contains("read:users:name", await ProblemAsync(await SendAsync(alice, HttpMethod.Post, "/hub/api/shares/alice/", new { user = "ta" }), HttpStatusCode.Forbidden));
        Assert.Empty(await StoredSharesAsync(hub, "alice"));
        // Nor more than the owner holds: another server's filter is refused, admin scopes are not the owner's to give.
        Assert.Contains("only !server=alice/", await ProblemAsync(await SendAsync(alice, HttpMethod.Post, "/hub/api/share-codes/alice/", new { scopes = new[] { "access:servers!server=bob/" } }), HttpStatusCode.BadRequest));
        Assert.Contains("admin:servers", await ProblemAsync(await SendAsync(alice, HttpMethod.Post, "/hub/api/share-codes/alice/", new { scopes = new[] { "admin:servers" } }), HttpStatusCode.Forbidden));
    }

    [Theory]
    [InlineData("POST", "/hub/api/shares/alice/", """{"user": "ta", "group": "tas"}""", 400, "not both")]
    [InlineData("POST", "/hub/api/shares/alice/", """{}""", 400, "exactly one")]
    [InlineData("POST", "/hub/api/shares/alice/", """{"user": "ta", "color": "red"}""", 400, "Unknown field")]
    [InlineData("POST", "/hub/api/shares/alice/", """{"user": 7}""", 400, "user must be a string")]
    [InlineData("POST", "/hub/api/shares/alice/", """{"user": "ta", "scopes": "access:servers"}""", 400, "list of strings")]
    [InlineData("POST", "/hub/api/shares/alice/", """{"user": "ta", "scopes": ["no-such-scope"]}""", 400, "is not a scope")]
    [InlineData("POST", "/hub/api/shares/alice/", """{"user": "ta", "scopes": ["inherit"]}""", 400, "cannot be shared")]
    [InlineData("POST", "/hub/api/shares/alice/", """{"user": "nobody-here"}""", 400, "No such user")]
    [InlineData("POST", "/hub/api/shares/alice/", """{"group": "no-group"}""", 400, "No such group")]
    [InlineData("POST", "/hub/api/shares/alice/", """[1]""", 400, "JSON object")]
    [InlineData("POST", "/hub/api/shares/alice/", """{"user": """, 400, "not valid JSON")]
    [InlineData("POST", "/hub/api/shares/alice/missing", """{"user": "ta"}""", 404, "No such server")]
    [InlineData("POST", "/hub/api/shares/alice", """{"user": "ta"}""", 405, "needs a server")]
    [InlineData("POST", "/hub/api/share-codes/alice/", """{"expires_in": 10}""", 400, "expires_in")]
    [InlineData("POST", "/hub/api/share-codes/alice/", """{"expires_in": 31536001}""", 400, "expires_in")]
    [InlineData("POST", "/hub/api/share-codes/alice/", """{"expires_in": "day"}""", 400, "expires_in")]
    [InlineData("POST", "/hub/api/share-codes/alice/missing", """{}""", 404, "No such server")]
    [InlineData("DELETE", "/hub/api/share-codes/alice/?code=x&id=y", null, 400, "not both")]
    [InlineData("GET", "/hub/api/users/ta/shared/alice", null, 404, "default server")]
    [InlineData("GET", "/hub/api/users/ta/shared/alice/", null, 404, "No such share")]
    [InlineData("DELETE", "/hub/api/groups/no-group/shared/alice/", null, 404, "No such share")]
    [InlineData("GET", "/hub/api/shares/alice?limit=-1", null, 400, "limit")]
    public async Task BadInput_IsProblemJson(string method, string path, string? body, int status, string message)
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await hub.TokenAsync("alice");
        await hub.TokenAsync("ta");
        var response = body is null
            ? await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))
            : await SendRawAsync(admin, new HttpMethod(method), path, body);
        Assert.Contains(message, await ProblemAsync(response, (HttpStatusCode)status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovingServerOrUser_RemovesItsSharesAndCodes()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        var alice = hub.Api(await hub.TokenAsync("alice"));
        await hub.TokenAsync("ta");
        await hub.Store.Servers.CreateAsync(new ServerRecord { User = "alice", Name = "lab" });
        await BodyAsync(await SendAsync(admin, HttpMethod.Post, "/hub/api/shares/alice/lab", new { user = "ta" }), HttpStatusCode.OK);
        await BodyAsync(await SendAsync(admin, HttpMethod.Post, "/hub/api/shares/alice/", new { user = "ta" }), HttpStatusCode.OK);
        await BodyAsync(await SendAsync(alice, HttpMethod.Post, "/hub/api/share-codes/alice/lab", new { }), HttpStatusCode.OK);

        await BodyAsync(await SendAsync(alice, HttpMethod.Delete, "/hub/api/users/alice/servers/lab", new { remove = true }), HttpStatusCode.NoContent);

        Assert.Equal(["alice/"], (await StoredSharesAsync(hub, "alice")).Select(s => s.Server.User + "/" + s.Server.Server));
        Assert.Empty(await StoredCodesAsync(hub, "alice"));
        await BodyAsync(await admin.DeleteAsync("/hub/api/users/ta"), HttpStatusCode.NoContent);
        Assert.Empty(await StoredSharesAsync(hub, "alice"));
    }

    private static async Task<List<ShareCodeRecord>> StoredCodesAsync(TestHub hub, string owner)
    {
        var list = new List<ShareCodeRecord>();
        await foreach (var code in hub.Store.ShareCodes.ListForOwnerAsync(owner))
        {
            list.Add(code);
        }
        return list;
    }

    private static async Task<List<ShareRecord>> StoredSharesAsync(TestHub hub, string owner)
    {
        var list = new List<ShareRecord>();
        await foreach (var share in hub.Store.Shares.ListForOwnerAsync(owner))
        {
            list.Add(share);
        }
        return list;
    }
}
