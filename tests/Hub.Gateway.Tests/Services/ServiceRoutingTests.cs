using System.Net;
using System.Net.Http.Json;
using Hub.Core.Store;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Services;

/// <summary>
/// <c>/services/{name}/</c> through the real gateway to a real service process configured by app settings, with the
/// login rules of user servers: who may open it, the hub's cookies kept from it, unknown services a 404.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceRoutingTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    private ServiceProcess _service = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Services:0:Name"] = "grader",
        ["Services:0:Url"] = _service.Address.AbsoluteUri,
        ["Services:0:AccessGroups"] = "teachers",
        ["Services:1:Name"] = "culler",
        ["Services:1:Scopes"] = "list:users,read:users:activity,admin:servers",
    };

    public override async Task InitializeAsync()
    {
        _service = await ServiceProcess.StartAsync();
        await base.InitializeAsync();
    }

    private async Task<string> SessionOfTeacherAsync()
    {
        await Gateway.Store.Users.CreateAsync(new UserRecord { Name = "tina", Created = DateTimeOffset.UtcNow, Groups = ["teachers"] });
        return await Gateway.StartSessionAsync("tina");
    }

    [Fact]
    public async Task GroupMember_ReachesTheService_WithoutTheHubsCookie()
    {
        using var client = Gateway.CreateClient(await SessionOfTeacherAsync(), extraCookies: "grader-state=1");

        var response = await client.GetAsync("/services/grader/assignments?week=2");
        var seen = await response.Content.ReadFromJsonAsync<ServiceProcess.Seen>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/services/grader/assignments?week=2", seen!.Path);
        Assert.Equal("grader-state=1", seen.Cookie);
    }

    [Fact]
    public async Task UserWithoutAccess_Is403_AndNothingReachesTheService()
    {
        using var client = Gateway.CreateClient(AliceSession);

        var response = await client.GetAsync("/services/grader/");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("access:services!service=grader", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_ReachesTheService()
    {
        await Gateway.AddUserAsync("root", admin: true);
        using var client = Gateway.CreateClient(await Gateway.StartSessionAsync("root"));

        var response = await client.GetAsync("/services/grader/");

        Assert.Equal("/services/grader/", (await response.Content.ReadFromJsonAsync<ServiceProcess.Seen>())!.Path);
    }

    [Fact]
    public async Task TokenWithTheServiceScope_ReachesIt_TokenWithoutIsRefused()
    {
        string scoped = await Gateway.AddTokenAsync("alice", ["access:services!service=grader"]);
        string other = await Gateway.AddTokenAsync("alice", ["access:services!service=culler"]);
        using var client = Gateway.CreateClient();
        async Task<HttpStatusCode> WithAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/services/grader/api");
            request.Headers.Authorization = new("token", token);
            return (await client.SendAsync(request)).StatusCode;
        }

        // Alice's own scopes do not hold access:services, and a token is narrowed to its owner's: an admin's or a
        // teacher's (the service's AccessGroups grant it to teachers) passes.
        await Gateway.AddUserAsync("root", admin: true);
        string admins = await Gateway.AddTokenAsync("root", ["access:services!service=grader"]);
        await SessionOfTeacherAsync();
        string teachers = await Gateway.AddTokenAsync("tina", ["access:services!service=grader"]);
        string teachersOther = await Gateway.AddTokenAsync("tina", ["read:users!user=tina"]);

        Assert.Equal(HttpStatusCode.Forbidden, await WithAsync(scoped));
        Assert.Equal(HttpStatusCode.Forbidden, await WithAsync(other));
        Assert.Equal(HttpStatusCode.OK, await WithAsync(admins));
        Assert.Equal(HttpStatusCode.OK, await WithAsync(teachers));
        Assert.Equal(HttpStatusCode.Forbidden, await WithAsync(teachersOther));
    }

    [Fact]
    public async Task NotLoggedIn_BrowserGoesToLogin_ApiIs403()
    {
        using var client = Gateway.CreateClient();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/services/grader/?x=1");
        page.Headers.Accept.ParseAdd("text/html");

        var browser = await client.SendAsync(page);
        var api = await client.GetAsync("/services/grader/api");

        Assert.Equal(HttpStatusCode.Found, browser.StatusCode);
        Assert.Equal("/hub/login?next=%2Fservices%2Fgrader%2F%3Fx%3D1", browser.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
    }

    [Fact]
    public async Task ExpiredSessionOrUnknownCookie_Is403_AsForUserServers()
    {
        await SessionOfTeacherAsync();
        using var expired = Gateway.CreateClient(await Gateway.StartSessionAsync("tina", TimeSpan.FromSeconds(-1)));
        using var unknown = Gateway.CreateClient("not-a-session");

        var fromExpired = await expired.GetAsync("/services/grader/api");
        var fromUnknown = await unknown.GetAsync("/services/grader/api");

        Assert.Equal(HttpStatusCode.Forbidden, fromExpired.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fromUnknown.StatusCode);
        Assert.Equal("application/problem+json", fromUnknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:serverless-hub:gateway:unauthenticated", await fromUnknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/services/nosuch/")]
    [InlineData("/services/culler/")]
    [InlineData("/services/")]
    [InlineData("/services")]
    public async Task UnknownServiceOrOneWithoutUrl_Is404(string path)
    {
        using var client = Gateway.CreateClient(await SessionOfTeacherAsync());

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BareName_RedirectsToTheSlash()
    {
        using var client = Gateway.CreateClient();

        var response = await client.GetAsync("/services/grader?x=1");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/services/grader/?x=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Service_CannotSetTheHubsSessionCookie()
    {
        using var client = Gateway.CreateClient(await SessionOfTeacherAsync());

        var response = await client.GetAsync("/services/grader/set-cookies");

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Equal(["grader-state=kept; Path=/services/grader/"], cookies);
    }
}
