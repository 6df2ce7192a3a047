using System.Net;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Auth;

/// <summary>
/// The gateway applies the control plane's credential rules (one resolver in Hub.Core): blocked users
/// (<c>Auth__BlockedUsers</c>) are refused, and so are secrets longer than <see cref="SecretHash.MaxSecretLength"/>,
/// even when the store holds them. The control plane's side: Hub.Functions.Tests' CredentialRulesTests.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CredentialRulesTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:BlockedUsers"] = "Mallory" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Gateway.AddRouteAsync("alice", Backend.Address);
    }

    [Fact]
    public async Task UserPath_BlockedUsersValidSessionAndToken_Refused()
    {
        await Gateway.AddUserAsync("mallory", admin: true);
        await Gateway.AddRouteAsync("mallory", Backend.Address);
        using var viaSession = Gateway.CreateClient(await Gateway.StartSessionAsync("mallory"));
        using var viaToken = Gateway.CreateClient();
        viaToken.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "token " + await Gateway.AddTokenAsync("mallory", ["access:servers"]));
        using var page = new HttpRequestMessage(HttpMethod.Get, "/user/mallory/lab");
        page.Headers.Accept.ParseAdd("text/html");

        var ownBySession = await viaSession.GetAsync("/user/mallory/api/status");
        var ownByToken = await viaToken.GetAsync("/user/mallory/api/status");
        var othersByToken = await viaToken.GetAsync("/user/alice/api/status");
        var browser = await viaSession.SendAsync(page);

        Assert.Equal(HttpStatusCode.Forbidden, ownBySession.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ownByToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, othersByToken.StatusCode);
        Assert.Contains("may no longer use the hub", await ownByToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, browser.StatusCode);
        Assert.StartsWith("/hub/login?next=", browser.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(Backend.Requests, r => r.RawTarget.StartsWith("/user/", StringComparison.Ordinal));
        // Only the named user is refused.
        using var alice = Gateway.CreateClient(AliceSession);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/user/alice/api/status")).StatusCode);
    }

    [Fact]
    public async Task UserPath_TokenLongerThanTheCap_RefusedEvenWhenStored()
    {
        string longest = await AddTokenOfLengthAsync(SecretHash.MaxSecretLength);
        string overLong = await AddTokenOfLengthAsync(SecretHash.MaxSecretLength + 1);
        using var client = Gateway.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await OpenAsync(client, longest));
        Assert.Equal(HttpStatusCode.Forbidden, await OpenAsync(client, overLong));
    }

    [Fact]
    public async Task UserPath_TokenThatIsNotTheHubsWithASession_FallsBackToTheSession()
    {
        // As JupyterHub: a token sent to /user/… may be meant for the server itself.
        using var client = Gateway.CreateClient(AliceSession);

        Assert.Equal(HttpStatusCode.OK, await OpenAsync(client, "the-servers-own-token"));
        Assert.Equal(HttpStatusCode.OK, await OpenAsync(client, new string('t', SecretHash.MaxSecretLength + 1)));
    }

    private static async Task<HttpStatusCode> OpenAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/user/alice/api/status");
        request.Headers.TryAddWithoutValidation("Authorization", "token " + token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> AddTokenOfLengthAsync(int length)
    {
        string token = (SecretHash.NewSecret() + new string('x', length))[..length];
        await Gateway.Store.Tokens.CreateAsync(new TokenRecord
        {
            Hash = SecretHash.Of(token),
            Id = "a" + length,
            User = "alice",
            Scopes = ["access:servers"],
            Created = DateTimeOffset.UtcNow,
        });
        return token;
    }
}
