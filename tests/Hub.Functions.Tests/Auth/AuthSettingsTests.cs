using System.Net;
using Hub.Core.Configuration;
using Hub.Testing;
using Microsoft.Extensions.Configuration;

namespace Hub.Functions.Tests.Auth;

[Collection(AzuriteCollection.Name)]
public sealed class AuthSettingsTests(AzuriteFixture azurite)
{
    [Fact]
    public void Build_DummyInAzureAndIncompleteOidc_ListsEveryProblemWithoutSecrets()
    {
        var problems = Assert.Throws<AppSettingsException>(() => ControlPlaneApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:Mode"] = "azure",
            ["Hub:PublicUrl"] = "https://hub.example.edu",
            ["Hub:SecretKey"] = Convert.ToBase64String(new byte[32]),
            ["Auth:Authenticator"] = "dummy",
            ["Oidc:ClientSecret"] = "do-not-print-me",
        })));
        var oidc = Assert.Throws<AppSettingsException>(() => ControlPlaneApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Authenticator"] = "oidc",
            ["Oidc:Authority"] = "http://idp.example.edu",
            ["Oidc:UserNameClaim"] = "name",
            ["Oidc:ClientSecret"] = "do-not-print-me",
        })));

        Assert.Contains("Auth__Authenticator is dummy", problems.Message, StringComparison.Ordinal);
        Assert.Contains("Oidc__Authority must be an https URL", oidc.Message, StringComparison.Ordinal);
        Assert.Contains("Oidc__ClientId must be set", oidc.Message, StringComparison.Ordinal);
        Assert.Contains("Oidc__UserNameClaim cannot be 'name'", oidc.Message, StringComparison.Ordinal);
        Assert.Contains("Auth__AllowAll is false", oidc.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-print-me", problems.Message + oidc.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_HttpsPublicUrl_CookiesAreSecure()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Hub:PublicUrl"] = "https://hub.example.edu" });
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = hub.Address };

        var page = await client.GetAsync("/hub/login");
        string xsrfCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("_xsrf=", StringComparison.Ordinal));
        string xsrf = xsrfCookie.Split(';')[0]["_xsrf=".Length..];
        var request = new HttpRequestMessage(HttpMethod.Post, "/hub/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "sec", ["password"] = "x", ["_xsrf"] = xsrf }),
        };
        request.Headers.Add("Cookie", "_xsrf=" + xsrf);
        var login = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        Assert.Contains("secure", xsrfCookie, StringComparison.OrdinalIgnoreCase);
        string session = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hub-session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", session, StringComparison.Ordinal);
        Assert.Contains("; httponly", session, StringComparison.Ordinal);
        Assert.Contains("; samesite=lax", session, StringComparison.Ordinal);
        Assert.Contains("; path=/", session, StringComparison.Ordinal);
    }
}
