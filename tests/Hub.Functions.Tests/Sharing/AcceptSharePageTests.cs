using System.Net;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Store;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using static Hub.Functions.Tests.Sharing.SharingApi;

namespace Hub.Functions.Tests.Sharing;

/// <summary>
/// JupyterHub 5's <c>/hub/accept-share?code=…</c>: a confirmation page, then a POST (with the session's <c>_xsrf</c>)
/// that exchanges the code for a share and sends the browser to the server. Codes are reusable until they expire.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AcceptSharePageTests(AzuriteFixture azurite)
{
    private static async Task<string> IssueAsync(TestHub hub, HttpClient owner, string path = "/hub/api/share-codes/alice/") =>
        Json(await BodyAsync(await SendAsync(owner, HttpMethod.Post, path, new { }), HttpStatusCode.OK)).GetProperty("code").GetString()!;

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [Fact]
    public async Task Confirm_ThenAccept_GrantsTheServerAndRedirectsToIt_CodeServesSeveralUsers()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var alice = hub.Api(await hub.TokenAsync("alice"));
        string code = await IssueAsync(hub, alice);
        var (ta, _) = await hub.LoginAsync("ta");

        var page = await ta.GetAsync("/hub/accept-share?code=" + Uri.EscapeDataString(code) + "&next=%2F%2Fevil.example%2F");
        string html = await BodyAsync(page, HttpStatusCode.OK);
        Assert.Contains("Accept sharing invitation", html, StringComparison.Ordinal);
        Assert.Contains("alice's server", html, StringComparison.Ordinal);
        Assert.Contains("access:servers!server=alice/", html, StringComparison.Ordinal);
        Assert.Contains("is not running now", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", html, StringComparison.Ordinal);
        Assert.Null(await hub.Store.Shares.GetAsync(new ShareKey(new ServerKey("alice", ""), ShareRecipient.User("ta"))));

        var accepted = await ta.PostAsync("/hub/accept-share", Form(("_xsrf", TestHub.FormXsrf(html)), ("code", code), ("next", "//evil.example/")));

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/user/alice/", accepted.Headers.Location?.OriginalString);
        var share = await hub.Store.Shares.GetAsync(new ShareKey(new ServerKey("alice", ""), ShareRecipient.User("ta")));
        Assert.Equal(["access:servers!server=alice/"], share!.Scopes);

        // JupyterHub's codes are not single-use: a second user may accept the same link until it expires; each exchange counts.
        var (second, _) = await hub.LoginAsync("ta2");
        string secondPage = await BodyAsync(await second.GetAsync("/hub/accept-share?code=" + Uri.EscapeDataString(code)), HttpStatusCode.OK);
        var again = await second.PostAsync("/hub/accept-share", Form(("_xsrf", TestHub.FormXsrf(secondPage)), ("code", code), ("next", "/user/alice/lab")));
        Assert.Equal("/user/alice/lab", again.Headers.Location?.OriginalString);
        var stored = await hub.Store.ShareCodes.GetAsync(SecretHash.Of(code));
        Assert.Equal(2, stored!.ExchangeCount);
        Assert.NotNull(stored.LastExchanged);
    }

    [Fact]
    public async Task Post_WithoutXsrfOrFromAnotherSite_IsRefusedAndGrantsNothing()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var alice = hub.Api(await hub.TokenAsync("alice"));
        string code = await IssueAsync(hub, alice);
        var (ta, _) = await hub.LoginAsync("ta");
        string html = await BodyAsync(await ta.GetAsync("/hub/accept-share?code=" + Uri.EscapeDataString(code)), HttpStatusCode.OK);

        var missing = await ta.PostAsync("/hub/accept-share", Form(("code", code)));
        var crossSite = new HttpRequestMessage(HttpMethod.Post, "/hub/accept-share") { Content = Form(("_xsrf", TestHub.FormXsrf(html)), ("code", code)) };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        var foreign = await ta.SendAsync(crossSite);
        var noCors = new HttpRequestMessage(HttpMethod.Post, "/hub/accept-share") { Content = Form(("code", code)) };
        noCors.Headers.Add("Sec-Fetch-Mode", "no-cors");
        var noCorsAnswer = await ta.SendAsync(noCors);

        Assert.Contains("_xsrf", await BodyAsync(missing, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        await BodyAsync(foreign, HttpStatusCode.Forbidden);
        await BodyAsync(noCorsAnswer, HttpStatusCode.Forbidden);
        Assert.Null(await hub.Store.Shares.GetAsync(new ShareKey(new ServerKey("alice", ""), ShareRecipient.User("ta"))));
        Assert.Equal(0, (await hub.Store.ShareCodes.GetAsync(SecretHash.Of(code)))!.ExchangeCount);
    }

    [Fact]
    public async Task ExpiredUnknownOwnOrGoneServer_AreClearPages()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var alice = hub.Api(await hub.TokenAsync("alice"));
        var now = DateTimeOffset.UtcNow;
        string expired = SecretHash.NewSecret();
        await hub.Store.ShareCodes.CreateAsync(new ShareCodeRecord
        {
            Hash = SecretHash.Of(expired), Id = "sc_old", Server = new ServerKey("alice", ""), Scopes = ShareScopes.Default(new ServerKey("alice", "")),
            Created = now.AddDays(-2), Expires = now.AddDays(-1),
        });
        string gone = SecretHash.NewSecret();
        await hub.Store.ShareCodes.CreateAsync(new ShareCodeRecord
        {
            Hash = SecretHash.Of(gone), Id = "sc_gone", Server = new ServerKey("alice", "removed"), Scopes = ShareScopes.Default(new ServerKey("alice", "removed")),
            Created = now, Expires = now.AddDays(1),
        });
        string own = await IssueAsync(hub, alice);
        var (ta, _) = await hub.LoginAsync("ta");
        var (aliceBrowser, _) = await hub.LoginAsync("alice");
        string xsrf = TestHub.FormXsrf(await BodyAsync(await ta.GetAsync("/hub/accept-share?code=" + Uri.EscapeDataString(own)), HttpStatusCode.OK));

        Assert.Contains("expired", await BodyAsync(await ta.GetAsync("/hub/accept-share?code=" + expired), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("expired", await BodyAsync(await ta.PostAsync("/hub/accept-share", Form(("_xsrf", xsrf), ("code", expired))), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Null(await hub.Store.ShareCodes.GetAsync(SecretHash.Of(expired)));
        Assert.Contains("expired", await BodyAsync(await ta.GetAsync("/hub/accept-share?code=not-a-code"), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("no share code", await BodyAsync(await ta.GetAsync("/hub/accept-share"), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("no longer exists", await BodyAsync(await ta.GetAsync("/hub/accept-share?code=" + gone), HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("share with yourself", await BodyAsync(await aliceBrowser.GetAsync("/hub/accept-share?code=" + own), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Empty(await SharesOfAsync(hub));
    }

    [Fact]
    public async Task NotSignedIn_GoesToLoginAndComesBack()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (anonymous, _) = hub.Browser(followRedirects: false);

        var response = await anonymous.GetAsync("/hub/accept-share?code=abc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hub/login?next=" + Uri.EscapeDataString("/hub/accept-share?code=abc"), response.Headers.Location?.OriginalString);
    }

    private static async Task<List<ShareRecord>> SharesOfAsync(TestHub hub)
    {
        var list = new List<ShareRecord>();
        await foreach (var share in hub.Store.Shares.ListForOwnerAsync("alice"))
        {
            list.Add(share);
        }
        return list;
    }
}
