using System.Net;
using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Auth;

/// <summary>
/// Login limits count per client even behind a proxy that overwrites <c>X-Forwarded-For</c> (the Functions host):
/// the gateway's signed <c>X-Hub-Client</c> names the client. Without it every request looks like the proxy, and one
/// client's failures would lock everyone out.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ClientAddressThroughHostTests(AzuriteFixture azurite)
{
    private const string Password = "class-password-2026";

    [Fact]
    public async Task FailedLogins_ThroughTheHostsProxy_LockOutOnlyTheClientTheGatewayNamed()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "shared-password",
            ["Auth:SharedPassword"] = Password,
            ["Auth:FailedLoginLimitPerClient"] = "3",
        });
        await using var host = await HostLikeProxy.StartAsync(hub.Address);
        var signer = new ClientAddressHeader(HubSecretKey.Load(hub.Plane.Services.GetRequiredService<HubOptions>()));
        string mallory = signer.Create(IPAddress.Parse("203.0.113.5"));
        string alice = signer.Create(IPAddress.Parse("203.0.113.6"));

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await LoginAsync(host.Address, "typo" + i, "wrong", mallory));
        }
        var malloryAgain = await LoginAsync(host.Address, "typo9", Password, mallory);
        var aliceSigned = await LoginAsync(host.Address, "alice", Password, alice);
        var forged = await LoginAsync(host.Address, "bob", Password, "203.0.113.7 not-a-signature");

        Assert.Equal(HttpStatusCode.TooManyRequests, malloryAgain);
        Assert.Equal(HttpStatusCode.Found, aliceSigned);
        Assert.Equal(HttpStatusCode.Found, forged);
    }

    [Fact]
    public async Task FailedLogins_ThroughTheHostsProxyWithoutTheGatewaysHeader_LockOutEveryone()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "shared-password",
            ["Auth:SharedPassword"] = Password,
            ["Auth:FailedLoginLimitPerClient"] = "3",
        });
        await using var host = await HostLikeProxy.StartAsync(hub.Address);

        for (int i = 0; i < 3; i++)
        {
            await LoginAsync(host.Address, "typo" + i, "wrong", clientHeader: null, forwardedFor: "203.0.113.5");
        }
        var someoneElse = await LoginAsync(host.Address, "alice", Password, clientHeader: null, forwardedFor: "203.0.113.6");

        Assert.Equal(HttpStatusCode.TooManyRequests, someoneElse);
    }

    /// <summary>A login as a browser sends it, through <paramref name="proxy"/>, with the headers the gateway would add.</summary>
    private static async Task<HttpStatusCode> LoginAsync(Uri proxy, string user, string password, string? clientHeader, string? forwardedFor = null)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(30) };
        await client.GetAsync("/hub/login");
        string xsrf = cookies.GetCookies(new Uri(proxy, "/hub/"))["_xsrf"]!.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hub/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = password, ["_xsrf"] = xsrf }),
        };
        if (clientHeader is not null)
        {
            request.Headers.Add(ClientAddressHeader.Name, clientHeader);
        }
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return (await client.SendAsync(request)).StatusCode;
    }
}
