using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Functions.Tests.Auth;
using Hub.Testing;

namespace Hub.Functions.Tests.Api;

/// <summary>The groups API (a class) against the published spec, with JupyterHub's scopes and our one difference: a group lives while it has members.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GroupsApiTests(AzuriteFixture azurite)
{
    private static async Task<string> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await BodyAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()!;
    }

    private static HttpRequestMessage WithBody(HttpMethod method, string path, string? json) =>
        new(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });

    private static IEnumerable<string?> Users(string groupJson) =>
        JsonDocument.Parse(groupJson).RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetString());

    private static async Task<IReadOnlyList<string>> StoredGroupsAsync(TestHub hub, string user) => (await hub.Store.Users.GetAsync(user))!.Groups;

    [Fact]
    public async Task Groups_AddListGetRemoveDelete_AsAdmin_MatchSpec()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Hub:PublicUrl"] = "http://hub.example.edu:8000" });
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "g1", "g2", "g3", "outsider" } }), HttpStatusCode.Created);

        string added = await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-x/users", new { users = new[] { "g2", "G1" } }), HttpStatusCode.OK);
        string more = await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-x/users", new { users = new[] { "g3", "g1" } }), HttpStatusCode.OK);
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-y/users", new { users = new[] { "g1" } }), HttpStatusCode.OK);

        await JupyterHubSpec.AssertResponseAsync("post", "/groups/{name}/users", 200, added);
        Assert.Equal(["g1", "g2"], Users(added));
        Assert.Equal(["g1", "g2", "g3"], Users(more));
        Assert.Equal(["class-x", "class-y"], await StoredGroupsAsync(hub, "g1"));

        string got = await BodyAsync(await admin.GetAsync("/hub/api/groups/class-x"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/groups/{name}", 200, got);
        Assert.Equal("group", JsonDocument.Parse(got).RootElement.GetProperty("kind").GetString());
        string all = await BodyAsync(await admin.GetAsync("/hub/api/groups"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/groups", 200, all);
        Assert.Equal(["class-x", "class-y"], JsonDocument.Parse(all).RootElement.EnumerateArray().Select(g => g.GetProperty("name").GetString()));

        using var paged = new HttpRequestMessage(HttpMethod.Get, "/hub/api/groups?limit=1");
        paged.Headers.Accept.ParseAdd("application/jupyterhub-pagination+json");
        string page = await BodyAsync(await admin.SendAsync(paged), HttpStatusCode.OK);
        await JupyterHubSpec.AssertSchemaAsync("PaginatedList", page);
        var pageJson = JsonDocument.Parse(page).RootElement;
        await JupyterHubSpec.AssertSchemaAsync("Group", pageJson.GetProperty("items")[0].GetRawText());
        Assert.Equal(2, pageJson.GetProperty("_pagination").GetProperty("total").GetInt32());
        Assert.StartsWith("http://hub.example.edu:8000/hub/api/groups?", pageJson.GetProperty("_pagination").GetProperty("next").GetProperty("url").GetString(), StringComparison.Ordinal);

        string members = await BodyAsync(await admin.GetAsync("/hub/api/users?group=class-x&sort=name"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/users", 200, members);
        Assert.Equal(["g1", "g2", "g3"], JsonDocument.Parse(members).RootElement.EnumerateArray().Select(u => u.GetProperty("name").GetString()));

        string removed = await BodyAsync(await SendAsync(admin, HttpMethod.Delete, "/hub/api/groups/class-x/users", new { users = new[] { "g2", "outsider" } }), HttpStatusCode.OK);
        Assert.Equal(["g1", "g3"], Users(removed));
        Assert.Empty(await StoredGroupsAsync(hub, "g2"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/hub/api/groups/class-x")).StatusCode);
        await ProblemAsync(await admin.GetAsync("/hub/api/groups/class-x"), HttpStatusCode.NotFound);
        Assert.Equal(["class-y"], await StoredGroupsAsync(hub, "g1"));
        Assert.Empty(await StoredGroupsAsync(hub, "g3"));
    }

    [Fact]
    public async Task CreateGroup_WithUsersEmptyOrExisting_201NotKeptAnd409()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "h1", "h2" } }), HttpStatusCode.Created);

        string created = await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-z", new { users = new[] { "h1", "h2" } }), HttpStatusCode.Created);
        string exists = await ProblemAsync(await admin.PostAsync("/hub/api/groups/class-z", null), HttpStatusCode.Conflict);
        string empty = await BodyAsync(await admin.PostAsync("/hub/api/groups/empty-class", null), HttpStatusCode.Created);
        var properties = await admin.PostAsJsonAsync("/hub/api/groups/with-properties", new { users = new[] { "h1" }, properties = new { room = "B12" } });

        await JupyterHubSpec.AssertResponseAsync("post", "/groups/{name}", 201, created);
        Assert.Equal(["h1", "h2"], Users(created));
        Assert.Contains("class-z", exists, StringComparison.Ordinal);
        await JupyterHubSpec.AssertResponseAsync("post", "/groups/{name}", 201, empty);
        Assert.Empty(Users(empty));
        // No member, no group: JupyterHub would keep it; this hub documents that it does not.
        await ProblemAsync(await admin.GetAsync("/hub/api/groups/empty-class"), HttpStatusCode.NotFound);
        Assert.Contains("properties", await ProblemAsync(properties, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(["class-z"], await StoredGroupsAsync(hub, "h1"));
    }

    [Theory]
    [InlineData(null, "users")]
    [InlineData("{not json", "JSON")]
    [InlineData("{\"users\": \"i1\"}", "users")]
    [InlineData("{\"users\": [1]}", "string")]
    [InlineData("{\"users\": [\"i1\", \"nobody-here\", \"nor-here\"]}", "No such users: nobody-here, nor-here")]
    [InlineData("{\"users\": [\"\"]}", "Invalid user name")]
    public async Task AddUsers_BadBody_400NamingItAndNothingChanged(string? body, string named)
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "i1", "i2" } }), HttpStatusCode.Created);
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-i/users", new { users = new[] { "i2" } }), HttpStatusCode.OK);

        string message = await ProblemAsync(await admin.SendAsync(WithBody(HttpMethod.Post, "/hub/api/groups/class-i/users", body)), HttpStatusCode.BadRequest);
        string removeMessage = await ProblemAsync(await admin.SendAsync(WithBody(HttpMethod.Delete, "/hub/api/groups/class-i/users", body)), HttpStatusCode.BadRequest);

        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Contains(named, removeMessage, StringComparison.Ordinal);
        Assert.Empty(await StoredGroupsAsync(hub, "i1"));
        Assert.Equal(["class-i"], await StoredGroupsAsync(hub, "i2"));
        Assert.Null(await hub.Store.Users.GetAsync("nobody-here"));
    }

    [Fact]
    public async Task Groups_BadNamesAndMissingGroups_400And404()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await BodyAsync(await admin.PostAsync("/hub/api/users/j1", null), HttpStatusCode.Created);
        string longName = new('g', 257);

        Assert.Contains("white space", await ProblemAsync(await admin.PostAsJsonAsync("/hub/api/groups/%20padded/users", new { users = new[] { "j1" } }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("control", await ProblemAsync(await admin.PostAsJsonAsync("/hub/api/groups/a%01b/users", new { users = new[] { "j1" } }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("at most 256", await ProblemAsync(await admin.PostAsJsonAsync($"/hub/api/groups/{longName}/users", new { users = new[] { "j1" } }), HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("No such group", await ProblemAsync(await admin.GetAsync("/hub/api/groups/never-made"), HttpStatusCode.NotFound), StringComparison.Ordinal);
        await ProblemAsync(await SendAsync(admin, HttpMethod.Delete, "/hub/api/groups/never-made/users", new { users = new[] { "j1" } }), HttpStatusCode.NotFound);
        await ProblemAsync(await admin.DeleteAsync("/hub/api/groups/never-made"), HttpStatusCode.NotFound);
        await ProblemAsync(await admin.PostAsJsonAsync("/hub/api/groups/never-made/users", new { users = Array.Empty<string>() }), HttpStatusCode.NotFound);
        Assert.Empty(await StoredGroupsAsync(hub, "j1"));

        // Names are kept as the identity provider spells them: case and inner spaces are part of the name.
        string spaced = await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/Course%20101%2FA/users", new { users = new[] { "j1" } }), HttpStatusCode.OK);
        Assert.Equal("Course 101/A", JsonDocument.Parse(spaced).RootElement.GetProperty("name").GetString());
        await BodyAsync(await admin.GetAsync("/hub/api/groups/Course%20101%2FA"), HttpStatusCode.OK);
        await ProblemAsync(await admin.GetAsync("/hub/api/groups/course%20101%2Fa"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SetGroupProperties_NoneAnswersTheGroupAnyIs400UnknownGroupIs404()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "p1" } }), HttpStatusCode.Created);
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-p/users", new { users = new[] { "p1" } }), HttpStatusCode.OK);

        string none = await BodyAsync(await admin.PutAsJsonAsync("/hub/api/groups/class-p/properties", new { }), HttpStatusCode.OK);
        string some = await ProblemAsync(await admin.PutAsJsonAsync("/hub/api/groups/class-p/properties", new { room = "B12" }), HttpStatusCode.BadRequest);
        string missing = await ProblemAsync(await admin.SendAsync(WithBody(HttpMethod.Put, "/hub/api/groups/class-p/properties", null)), HttpStatusCode.BadRequest);
        string list = await ProblemAsync(await admin.SendAsync(WithBody(HttpMethod.Put, "/hub/api/groups/class-p/properties", "[]")), HttpStatusCode.BadRequest);
        string unknown = await ProblemAsync(await admin.PutAsJsonAsync("/hub/api/groups/no-such-class/properties", new { }), HttpStatusCode.NotFound);

        await JupyterHubSpec.AssertResponseAsync("put", "/groups/{name}/properties", 200, none);
        Assert.Equal(["p1"], Users(none));
        Assert.Contains("does not store group properties", some, StringComparison.Ordinal);
        Assert.Contains("JSON object", missing, StringComparison.Ordinal);
        Assert.Contains("JSON object", list, StringComparison.Ordinal);
        Assert.Contains("no-such-class", unknown, StringComparison.Ordinal);
        Assert.Equal(["class-p"], await StoredGroupsAsync(hub, "p1"));
    }

    [Fact]
    public async Task Groups_NonAdmin_403AndNothingChanged()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        var kim = hub.Api(await hub.TokenAsync("kim"));
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-k/users", new { users = new[] { "admin" } }), HttpStatusCode.OK);

        Assert.Contains("list:groups", await ProblemAsync(await kim.GetAsync("/hub/api/groups"), HttpStatusCode.Forbidden), StringComparison.Ordinal);
        await ProblemAsync(await kim.GetAsync("/hub/api/groups/class-k"), HttpStatusCode.Forbidden);
        Assert.Contains("groups", await ProblemAsync(await kim.PostAsJsonAsync("/hub/api/groups/class-k/users", new { users = new[] { "kim" } }), HttpStatusCode.Forbidden), StringComparison.Ordinal);
        await ProblemAsync(await SendAsync(kim, HttpMethod.Delete, "/hub/api/groups/class-k/users", new { users = new[] { "admin" } }), HttpStatusCode.Forbidden);
        await ProblemAsync(await kim.PostAsJsonAsync("/hub/api/groups/kims-class", new { users = new[] { "kim" } }), HttpStatusCode.Forbidden);
        await ProblemAsync(await kim.DeleteAsync("/hub/api/groups/class-k"), HttpStatusCode.Forbidden);
        await ProblemAsync(await kim.PutAsJsonAsync("/hub/api/groups/class-k/properties", new { }), HttpStatusCode.Forbidden);
        // A group a student belongs to gives no group scopes either, and the users filter shows nobody's groups.
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-k/users", new { users = new[] { "kim" } }), HttpStatusCode.OK);
        await ProblemAsync(await kim.GetAsync("/hub/api/groups/class-k"), HttpStatusCode.Forbidden);
        await ProblemAsync(await kim.GetAsync("/hub/api/users?group=class-k"), HttpStatusCode.Forbidden);

        Assert.Equal(["class-k"], await StoredGroupsAsync(hub, "kim"));
        Assert.Equal(["class-k"], await StoredGroupsAsync(hub, "admin"));
    }

    [Fact]
    public async Task Groups_TokenFilteredToOneGroup_OtherGroups404()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "l1", "l2" } }), HttpStatusCode.Created);
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/groups/class-other/users", new { users = new[] { "l2" } }), HttpStatusCode.OK);
        string created = await BodyAsync(await admin.PostAsJsonAsync("/hub/api/users/admin/tokens", new { scopes = new[] { "groups!group=class-mine" } }), HttpStatusCode.Created);
        var narrow = hub.Api(JsonDocument.Parse(created).RootElement.GetProperty("token").GetString()!);

        await BodyAsync(await narrow.PostAsJsonAsync("/hub/api/groups/class-mine/users", new { users = new[] { "l1" } }), HttpStatusCode.OK);
        await ProblemAsync(await narrow.PostAsJsonAsync("/hub/api/groups/class-other/users", new { users = new[] { "l1" } }), HttpStatusCode.NotFound);
        await ProblemAsync(await narrow.GetAsync("/hub/api/groups/class-other"), HttpStatusCode.NotFound);
        await ProblemAsync(await narrow.DeleteAsync("/hub/api/groups/class-mine"), HttpStatusCode.Forbidden);
        string listed = await BodyAsync(await narrow.GetAsync("/hub/api/groups"), HttpStatusCode.OK);

        Assert.Equal(["class-mine"], JsonDocument.Parse(listed).RootElement.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(["class-mine"], await StoredGroupsAsync(hub, "l1"));
        Assert.Equal(["class-other"], await StoredGroupsAsync(hub, "l2"));
    }

    [Fact]
    public async Task Groups_CookieRequestWithoutXsrf_403AndNothingChanged()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (browser, cookies) = await hub.LoginAsync("admin");

        var refused = await browser.PostAsJsonAsync("/hub/api/groups/class-c/users", new { users = new[] { "admin" } });
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/hub/api/groups/class-c/users") { Content = JsonContent.Create(new { users = new[] { "admin" } }) };
        withToken.Headers.Add("X-XSRFToken", hub.Xsrf(cookies));
        var accepted = await browser.SendAsync(withToken);

        Assert.Contains("_xsrf", await ProblemAsync(refused, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(["class-c"], await StoredGroupsAsync(hub, "admin"));
    }
}
