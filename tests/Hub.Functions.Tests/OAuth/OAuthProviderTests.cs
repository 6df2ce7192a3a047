using System.Net;
using System.Text.Json;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.OAuth;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.OAuth;

/// <summary>
/// The hub as OAuth provider for hub-aware servers, driven as <c>jupyterhub-singleuser</c> drives it: authorize in the
/// owner's browser, exchange the code with the server's token as client secret, identify the user with the access
/// token. Servers are records written here (the client exists while its server is not stopped).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OAuthProviderTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TimeProvider _time = TimeProvider.System;
    private TestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await TestHub.StartAsync(azurite);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task OwnerAuthorizes_CodeExchangedOnce_TokenIdentifiesTheOwnerWithTheServersScopes()
    {
        string secret = await RunningServerAsync(new ServerKey("alice", ""));
        var (browser, _) = await _hub.LoginAsync("alice");

        var authorize = await browser.GetAsync("/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice&redirect_uri=%2Fuser%2Falice%2Foauth_callback&response_type=code&state=s%2B1");

        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        var location = authorize.Headers.Location!.OriginalString;
        Assert.StartsWith("/user/alice/oauth_callback?", location);
        var query = QueryHelpers.ParseQuery(location[location.IndexOf('?')..]);
        Assert.Equal("s+1", query["state"].ToString());
        string code = query["code"].ToString();

        var exchange = await ExchangeAsync("jupyterhub-user-alice", secret, code);
        string body = await exchange.Content.ReadAsStringAsync();
        Assert.True(exchange.StatusCode == HttpStatusCode.OK, body);
        string accessToken = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;

        var me = JsonDocument.Parse(await _hub.Api(accessToken).GetStringAsync("/hub/api/user")).RootElement;
        Assert.Equal("alice", me.GetProperty("name").GetString());
        var scopes = me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("access:servers!server=alice/", scopes);
        Assert.DoesNotContain(scopes, s => s!.StartsWith("admin", StringComparison.Ordinal) || s == "tokens" || s!.StartsWith("servers", StringComparison.Ordinal));

        var again = await ExchangeAsync("jupyterhub-user-alice", secret, code);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_grant", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("jupyterhub-user-mallory", "/user/alice/oauth_callback")]
    [InlineData("jupyterhub-user-alice", "/user/mallory/oauth_callback")]
    [InlineData("jupyterhub-user-alice", "https://evil.example/user/alice/oauth_callback")]
    [InlineData("jupyterhub-user-alice-nonesuch", "/user/alice/nonesuch/oauth_callback")]
    public async Task Authorize_WrongClientOrRedirect_Is400PageAndNoCode(string clientId, string redirect)
    {
        await RunningServerAsync(new ServerKey("alice", ""));
        var (browser, _) = await _hub.LoginAsync("alice");

        var response = await browser.GetAsync($"/hub/api/oauth2/authorize?client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(redirect)}&response_type=code&state=x");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Authorize_StoppedServer_HasNoClient()
    {
        await RunningServerAsync(new ServerKey("alice", ""));
        await _hub.Store.Servers.ChangeAsync(new ServerKey("alice", ""), r => r with { Desired = ServerDesiredState.Stopped, Phase = ServerPhase.Stopped });
        var (browser, _) = await _hub.LoginAsync("alice");

        var response = await browser.GetAsync("/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice&response_type=code");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Authorize_AnotherUsersServer_Is403AndNoCode()
    {
        await RunningServerAsync(new ServerKey("alice", ""));
        var (browser, _) = await _hub.LoginAsync("bob");

        var response = await browser.GetAsync("/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice&response_type=code");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_NotLoggedIn_GoesToLoginAndBack()
    {
        await RunningServerAsync(new ServerKey("alice", ""));
        var (browser, _) = _hub.Browser(followRedirects: false);

        var response = await browser.GetAsync("/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice&response_type=code");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/hub/login?next=%2Fhub%2Fapi%2Foauth2%2Fauthorize", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Token_ExpiredCode_Is400()
    {
        string secret = await RunningServerAsync(new ServerKey("alice", "gpu"));
        // A code as the provider issues it, its lifetime over.
        string code = _hub.Plane.Services.GetRequiredService<OAuthCodes>().Issue(new OAuthGrant(OAuthGrant.NewId(), "alice", "jupyterhub-user-alice-gpu",
            "/user/alice/gpu/oauth_callback", ["access:servers!server=alice/gpu"], _time.GetUtcNow() - TimeSpan.FromSeconds(1)));
        string fresh = await CodeAsync("alice", "jupyterhub-user-alice-gpu");

        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync("jupyterhub-user-alice-gpu", secret, fresh)).StatusCode);
        var response = await ExchangeAsync("jupyterhub-user-alice-gpu", secret, code);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_AnotherServersSecretOrAForgedCode_IsRefused()
    {
        string alices = await RunningServerAsync(new ServerKey("alice", ""));
        string bobs = await RunningServerAsync(new ServerKey("bob", ""));
        string code = await CodeAsync("alice", "jupyterhub-user-alice");

        var withBobsSecret = await ExchangeAsync("jupyterhub-user-alice", bobs, code);
        var forBobsClient = await ExchangeAsync("jupyterhub-user-bob", bobs, code);
        var forged = await ExchangeAsync("jupyterhub-user-alice", alices, code[..^4] + "AAAA");

        Assert.Equal(HttpStatusCode.Unauthorized, withBobsSecret.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forBobsClient.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task ServerToken_IsAcceptedWithTheServerRoleOnly_AndNotForAnotherServerOrAfterItStopped()
    {
        var key = new ServerKey("alice", "");
        string token = await RunningServerAsync(key);
        await RunningServerAsync(new ServerKey("bob", ""));
        var api = _hub.Api(token);

        var me = JsonDocument.Parse(await api.GetStringAsync("/hub/api/user")).RootElement;
        var scopes = me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();
        var own = await api.PostAsync("/hub/api/users/alice/activity", JsonContent("{\"last_activity\":\"" + _time.GetUtcNow().ToString("O") + "\"}"));
        var others = await api.PostAsync("/hub/api/users/bob/activity", JsonContent("{\"last_activity\":\"" + _time.GetUtcNow().ToString("O") + "\"}"));
        var start = await api.PostAsync("/hub/api/users/alice/servers/other", null);

        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.Equal(["access:servers!server=alice/", "read:users:activity!user=alice", "users:activity!user=alice"], scopes);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);

        await _hub.Store.Servers.ChangeAsync(key, r => r with { Desired = ServerDesiredState.Stopped, Phase = ServerPhase.Stopped });
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/hub/api/user")).StatusCode);
    }

    [Fact]
    public async Task AccessToken_OpensOnlyItsOwnServer_EvenWhenTheUsersServersAreAsked()
    {
        string secret = await RunningServerAsync(new ServerKey("alice", ""));
        await RunningServerAsync(new ServerKey("alice", "gpu"));
        await RunningServerAsync(new ServerKey("bob", ""));
        var (browser, _) = await _hub.LoginAsync("alice");
        // What the server's client may ask for (JUPYTERHUB_OAUTH_ACCESS_SCOPES) includes the user-wide scope: it is not granted.
        var authorize = await browser.GetAsync("/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice&response_type=code&scope="
            + Uri.EscapeDataString("access:servers!server=alice/ access:servers!user=alice"));
        string location = authorize.Headers.Location!.OriginalString;
        var exchange = await ExchangeAsync("jupyterhub-user-alice", secret, QueryHelpers.ParseQuery(location[location.IndexOf('?')..])["code"].ToString());
        var api = _hub.Api(JsonDocument.Parse(await exchange.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!);

        var me = JsonDocument.Parse(await api.GetStringAsync("/hub/api/user")).RootElement;
        var scopes = me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();
        var otherUser = await api.GetAsync("/hub/api/users/bob");
        var otherServer = await api.DeleteAsync("/hub/api/users/alice/servers/gpu");

        Assert.Contains("access:servers!server=alice/", scopes);
        Assert.DoesNotContain(scopes, s => s!.StartsWith("access:servers!user", StringComparison.Ordinal) || s == "access:servers!server=alice/gpu");
        Assert.True(otherUser.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"GET another user answered {otherUser.StatusCode}");
        Assert.Equal(HttpStatusCode.Forbidden, otherServer.StatusCode);
    }

    [Fact]
    public async Task AuthorizationsToken_IdentifiesTheTokensOwner_404ForAnUnknownOne()
    {
        string serverToken = await RunningServerAsync(new ServerKey("alice", ""));
        var admin = _hub.Api(await _hub.TokenAsync("admin"));

        var known = await admin.GetAsync("/hub/api/authorizations/token/" + Uri.EscapeDataString(serverToken));
        var unknown = await admin.GetAsync("/hub/api/authorizations/token/nonesuch");

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal("alice", JsonDocument.Parse(await known.Content.ReadAsStringAsync()).RootElement.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>A user with a running server (as the reconcile loop leaves it); returns the server's token, its client secret.</summary>
    private async Task<string> RunningServerAsync(ServerKey key)
    {
        var now = _time.GetUtcNow();
        await _hub.Store.Users.CreateAsync(new UserRecord { Name = key.User, Created = now });
        string nonce = ServerTokens.NewNonce();
        await _hub.Store.Servers.UpsertAsync(new ServerRecord
        {
            User = key.User,
            Name = key.Server,
            Desired = ServerDesiredState.Running,
            Phase = ServerPhase.Running,
            Requested = now,
            Started = now,
            TokenNonce = nonce,
            Target = "http://127.0.0.1:9/",
        });
        return _hub.Plane.Services.GetRequiredService<ServerTokenSource>().TokenFor(key, nonce);
    }

    private async Task<string> CodeAsync(string user, string clientId)
    {
        var (browser, _) = await _hub.LoginAsync(user);
        var response = await browser.GetAsync($"/hub/api/oauth2/authorize?client_id={clientId}&response_type=code");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        string location = response.Headers.Location!.OriginalString;
        return QueryHelpers.ParseQuery(location[location.IndexOf('?')..])["code"].ToString();
    }

    private async Task<HttpResponseMessage> ExchangeAsync(string clientId, string secret, string code)
    {
        var (client, _) = _hub.Browser(followRedirects: false);
        return await client.PostAsync("/hub/api/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["grant_type"] = "authorization_code",
            ["code"] = code,
        }));
    }
}
