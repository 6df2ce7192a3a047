using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Hub.Functions.Api;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Api;

/// <summary>The <c>/hub/api</c> group's filters: the caller resolved (and XSRF checked) once, the route's target checked once, and the explicit anonymous opt-outs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ApiFilterTests(AzuriteFixture azurite)
{
    /// <summary>The endpoints that answer without a caller, each opted out on purpose.</summary>
    private static readonly string[] Anonymous =
    [
        "GET /hub/api/", "* /hub/api/{**rest}", "GET /hub/api/oauth2/authorize", "POST /hub/api/oauth2/token", "GET /hub/api/health",
        .. NotImplementedEndpoints.Operations.Select(o => $"{o.Method} /hub/api{o.Route}"),
    ];

    [Fact]
    public async Task EveryApiRoute_WithoutCaller_Is403ProblemUnlessOptedOut()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var routes = hub.Plane.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ApiEndpoints.Prefix, StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!, Endpoint: e)))
            .ToList();
        var optedOut = routes.Where(r => r.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(r => $"{r.Method} {r.Pattern}").ToHashSet();
        var anonymous = hub.Plane.Client;
        var problems = new List<string>();

        foreach (var (method, pattern, _) in routes.Where(r => !optedOut.Contains($"{r.Method} {r.Pattern}")))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Parameter().Replace(pattern, "nobody")) { Content = JsonContent.Create(new { }) };
            var response = await anonymous.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Forbidden || response.Content.Headers.ContentType?.MediaType != ApiProblem.ContentType)
            {
                problems.Add($"{method} {pattern}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(routes.Count > 40, $"only {routes.Count} API routes found");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Equal(Anonymous.Order(StringComparer.Ordinal), optedOut.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnonymousOptOuts_StillAnswer()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var anonymous = hub.Plane.Client;

        var version = await anonymous.GetAsync("/hub/api/");
        var unknown = await anonymous.GetAsync("/hub/api/no/such/thing");
        var notImplemented = await anonymous.PostAsync("/hub/api/shutdown", null);
        var oauthToken = await anonymous.PostAsync("/hub/api/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code" }));

        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotImplemented, notImplemented.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, oauthToken.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, oauthToken.StatusCode);
    }

    [Fact]
    public async Task CookieCaller_StateChangeWithoutXsrf_RefusedBeforeTheTargetOrHandler()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (client, cookies) = await hub.LoginAsync("tina");

        // The target does not exist: the XSRF refusal (403) comes first, not the 404 of the target filter.
        var missingTarget = await client.PostAsync("/hub/api/users/nobody-at-all/tokens", JsonContent.Create(new { note = "x" }));
        var ownTokens = await client.PostAsync("/hub/api/users/tina/tokens", JsonContent.Create(new { note = "x" }));
        using var withXsrf = new HttpRequestMessage(HttpMethod.Post, "/hub/api/users/tina/tokens") { Content = JsonContent.Create(new { note = "x" }) };
        withXsrf.Headers.Add("X-XSRFToken", hub.Xsrf(cookies));
        var accepted = await client.SendAsync(withXsrf);
        var read = await client.GetAsync("/hub/api/users/tina/tokens");

        Assert.Equal(HttpStatusCode.Forbidden, missingTarget.StatusCode);
        Assert.Contains("argument missing from POST", await missingTarget.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, ownTokens.StatusCode);
        Assert.Contains("_xsrf", await ownTokens.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var stored = new List<Hub.Core.Store.TokenRecord>();
        await foreach (var token in hub.Store.Tokens.ListForUserAsync("tina"))
        {
            stored.Add(token);
        }
        Assert.Single(stored);
    }

    [Fact]
    public async Task TargetFilter_NoScope403_FilteredScope404_BadServerName400_MissingSharedServer404()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        await hub.TokenAsync("alice");
        var bob = hub.Api(await hub.TokenAsync("bob"));
        var serverOnly = hub.Api(await hub.TokenAsync("bob", new { scopes = new[] { "read:servers!user=bob" } }));

        var othersTokens = await bob.GetAsync("/hub/api/users/alice/tokens");
        var missingUser = await bob.GetAsync("/hub/api/users/nobody-at-all/tokens");
        var noScope = await serverOnly.GetAsync("/hub/api/users/bob/tokens");
        var badServer = await bob.PostAsync("/hub/api/users/bob/servers/a%20b", null);
        var missingShared = await bob.PostAsync("/hub/api/shares/bob/missing", JsonContent.Create(new { user = "alice" }));

        Assert.Equal(HttpStatusCode.NotFound, othersTokens.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingUser.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);
        Assert.Contains("read:tokens", await noScope.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badServer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingShared.StatusCode);
        Assert.Contains("No such server", await missingShared.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(hub.Lifecycle.Starts);
    }

    [Fact]
    public async Task GroupTarget_NoScope403_OtherGroup404_BadNameIs404ToReadAnd400ToChange()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var bob = hub.Api(await hub.TokenAsync("bob", new { scopes = new[] { "read:servers!user=bob" } }));
        var oneGroup = hub.Api(await hub.TokenAsync("admin", new { scopes = new[] { "read:groups:shares!group=mine", "groups!group=mine" } }));
        string badName = "a%01b";

        var noScope = await bob.GetAsync("/hub/api/groups/mine/shared");
        var own = await oneGroup.GetAsync("/hub/api/groups/mine/shared");
        var other = await oneGroup.GetAsync("/hub/api/groups/theirs/shared");
        var otherChange = await oneGroup.PostAsync("/hub/api/groups/theirs/users", JsonContent.Create(new { users = new[] { "bob" } }));
        var admin = hub.Api(await hub.TokenAsync("admin"));
        var badRead = await admin.GetAsync($"/hub/api/groups/{badName}/shared");
        var badChange = await admin.PostAsync($"/hub/api/groups/{badName}/users", JsonContent.Create(new { users = new[] { "bob" } }));

        Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);
        Assert.Contains("read:groups:shares", await noScope.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherChange.StatusCode);
        Assert.Contains("No such group", await badRead.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, badRead.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badChange.StatusCode);
        Assert.Contains("Invalid group name", await badChange.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await hub.Store.Users.GetAsync("bob"))!.Groups);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
