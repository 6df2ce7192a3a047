using System.Net;
using Hub.Core.Security;
using Hub.Core.Store;
using Hub.Testing;

namespace Hub.Functions.Tests.Auth;

/// <summary>
/// The control plane's side of the one credential rule (the gateway's: Hub.Gateway.Tests' CredentialRulesTests):
/// a blocked user's valid session and token are refused, and so is a token longer than
/// <see cref="SecretHash.MaxSecretLength"/> even when the store holds it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CredentialRulesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Api_BlockedUsersValidSessionAndToken_Refused()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Auth:BlockedUsers"] = "Mallory" });
        string malloryToken = await AddUserWithTokenAsync(hub, "mallory", SecretHash.NewSecret());
        string mallorySession = await AddSessionAsync(hub, "mallory");
        string aliceToken = await AddUserWithTokenAsync(hub, "alice", SecretHash.NewSecret());
        string aliceSession = await AddSessionAsync(hub, "alice");

        Assert.Equal(HttpStatusCode.Forbidden, (await hub.Api(malloryToken).GetAsync("/hub/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await WithSessionAsync(hub, mallorySession));
        Assert.Equal(HttpStatusCode.OK, (await hub.Api(aliceToken).GetAsync("/hub/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await WithSessionAsync(hub, aliceSession));
    }

    [Fact]
    public async Task Api_TokenLongerThanTheCap_RefusedEvenWhenStored()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        string longest = await AddUserWithTokenAsync(hub, "alice", TokenOfLength(SecretHash.MaxSecretLength));
        string overLong = await AddUserWithTokenAsync(hub, "alice", TokenOfLength(SecretHash.MaxSecretLength + 1));

        Assert.Equal(HttpStatusCode.OK, (await hub.Api(longest).GetAsync("/hub/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hub.Api(overLong).GetAsync("/hub/api/user")).StatusCode);
    }

    [Fact]
    public async Task Api_InvalidTokenWithAValidSession_IsAnonymous()
    {
        // Unlike the gateway, at /hub/ a token that is sent decides.
        await using var hub = await TestHub.StartAsync(azurite);
        await AddUserWithTokenAsync(hub, "alice", SecretHash.NewSecret());
        string session = await AddSessionAsync(hub, "alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hub/api/user");
        request.Headers.Add("Cookie", $"{HubCookies.Session}={session}");
        request.Headers.TryAddWithoutValidation("Authorization", "token not-a-hub-token");

        using var client = new HttpClient { BaseAddress = hub.Address };
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static string TokenOfLength(int length) => (SecretHash.NewSecret() + new string('x', length))[..length];

    private static async Task<string> AddUserWithTokenAsync(TestHub hub, string user, string token)
    {
        if (await hub.Store.Users.GetAsync(user) is null)
        {
            await hub.Store.Users.CreateAsync(new UserRecord { Name = user, Created = DateTimeOffset.UtcNow });
        }
        await hub.Store.Tokens.CreateAsync(new TokenRecord
        {
            Hash = SecretHash.Of(token),
            Id = "a" + Guid.NewGuid().ToString("N")[..8],
            User = user,
            Scopes = ["read:users!user"],
            Created = DateTimeOffset.UtcNow,
        });
        return token;
    }

    private static async Task<string> AddSessionAsync(TestHub hub, string user)
    {
        string secret = SecretHash.NewSecret();
        var now = DateTimeOffset.UtcNow;
        await hub.Store.Sessions.CreateAsync(new SessionRecord { IdHash = SecretHash.Of(secret), User = user, Created = now, Expires = now + TimeSpan.FromHours(1) });
        return secret;
    }

    private static async Task<HttpStatusCode> WithSessionAsync(TestHub hub, string session)
    {
        using var client = new HttpClient { BaseAddress = hub.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hub/api/user");
        request.Headers.Add("Cookie", $"{HubCookies.Session}={session}");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
