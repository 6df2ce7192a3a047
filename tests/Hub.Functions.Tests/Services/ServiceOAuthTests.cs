using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Hub.Functions.Tests.Services;

/// <summary>
/// The hub as a service's OAuth provider, as JupyterHub's: client <c>service-{name}</c>, redirect URI
/// <c>/services/{name}/oauth_callback</c>, secret the service's API token, and a token holding
/// <c>access:services!service={name}</c> for a user who may open the service; nobody else gets a code.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceOAuthTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string GraderToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private const string Callback = "/services/grader/oauth_callback";

    private TestHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Services:0:Name"] = "grader",
            ["Services:0:ApiToken"] = GraderToken,
            ["Services:0:Url"] = "http://127.0.0.1:9/",
            ["Services:0:AccessGroups"] = "teachers",
            ["Services:1:Name"] = "culler",
            ["Services:1:ApiToken"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        var admin = _hub.Api(await _hub.TokenAsync("admin"));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/hub/api/users/tina", null)).StatusCode);
        var added = await admin.PostAsJsonAsync("/hub/api/groups/teachers/users", new { users = new[] { "tina" } });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private static string AuthorizeUrl(string client = "service-grader", string redirect = Callback) =>
        $"/hub/api/oauth2/authorize?client_id={client}&redirect_uri={Uri.EscapeDataString(redirect)}&response_type=code&state=st";

    private Task<HttpResponseMessage> ExchangeAsync(string code, string secret) =>
        _hub.Plane.Client.PostAsync("/hub/api/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = "service-grader",
            ["client_secret"] = secret,
            ["redirect_uri"] = Callback,
        }));

    [Fact]
    public async Task GroupMember_AuthorizesTheService_WhichLearnsWhoTheyAre()
    {
        var (browser, _) = await _hub.LoginAsync("tina");

        var authorize = await browser.GetAsync(AuthorizeUrl());

        Assert.Equal(HttpStatusCode.Found, authorize.StatusCode);
        string location = authorize.Headers.Location!.OriginalString;
        Assert.StartsWith(Callback + "?", location, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location[location.IndexOf('?', StringComparison.Ordinal)..]);
        Assert.Equal("st", query["state"].ToString());

        var wrongSecret = await ExchangeAsync(query["code"].ToString(), GraderToken[..^1] + "x");
        var exchange = await ExchangeAsync(query["code"].ToString(), GraderToken);
        string body = await exchange.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.True(exchange.StatusCode == HttpStatusCode.OK, body);
        var token = JsonDocument.Parse(body).RootElement;
        Assert.Equal("access:services!service=grader", token.GetProperty("scope").GetString());
        var me = JsonDocument.Parse(await _hub.Api(token.GetProperty("access_token").GetString()!).GetStringAsync("/hub/api/user")).RootElement;
        Assert.Equal("tina", me.GetProperty("name").GetString());
        Assert.Contains("access:services!service=grader", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task TokenAskingForAService_IsIssuedToAGroupMemberOnly()
    {
        var admin = _hub.Api(await _hub.TokenAsync("admin"));
        var body = new { scopes = new[] { "access:services!service=grader" }, note = "grader access" };

        var member = await admin.PostAsJsonAsync("/hub/api/users/tina/tokens", body);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/hub/api/users/sam", null)).StatusCode);
        var other = await admin.PostAsJsonAsync("/hub/api/users/sam/tokens", body);

        Assert.Equal(HttpStatusCode.Created, member.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task UserWithoutAccess_Gets403AndNoCode()
    {
        var (browser, _) = await _hub.LoginAsync("student");

        var response = await browser.GetAsync(AuthorizeUrl());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("service-grader", "/services/other/oauth_callback")]
    [InlineData("service-culler", "/services/culler/oauth_callback")]
    [InlineData("service-nosuch", "/services/nosuch/oauth_callback")]
    public async Task WrongRedirectOrAServiceWithoutUrlOrUnknown_Is400AndNoCode(string client, string redirect)
    {
        var (browser, _) = await _hub.LoginAsync("admin");

        var response = await browser.GetAsync(AuthorizeUrl(client, redirect));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
