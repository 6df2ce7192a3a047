using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Functions.Tests.Auth;
using Hub.Testing;

namespace Hub.Functions.Tests.Api;

/// <summary>The REST API against the published spec, with JupyterHub's status codes and scope rules.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RestApiTests(AzuriteFixture azurite)
{
    private static async Task<string> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    [Fact]
    public async Task Version_NoAuth_MatchesSpec()
    {
        await using var hub = await TestHub.StartAsync(azurite);

        string body = await BodyAsync(await hub.Plane.Client.GetAsync("/hub/api/"), HttpStatusCode.OK);

        await JupyterHubSpec.AssertResponseAsync("get", "/", 200, body);
        Assert.StartsWith("5.", JsonDocument.Parse(body).RootElement.GetProperty("version").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_AdminAndUser_200MatchesSpecAnd403()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        var user = hub.Api(await hub.TokenAsync("kim"));

        await JupyterHubSpec.AssertResponseAsync("get", "/info", 200, await BodyAsync(await admin.GetAsync("/hub/api/info"), HttpStatusCode.OK));
        var refused = await user.GetAsync("/hub/api/info");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("read:hub", problem.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task WhoAmI_TokenAndBearer_ReturnsUserWithScopes()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        string token = await hub.TokenAsync("lena");
        using var bearer = new HttpClient { BaseAddress = hub.Address };
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", token);

        string body = await BodyAsync(await bearer.GetAsync("/hub/api/user"), HttpStatusCode.OK);

        await JupyterHubSpec.AssertSchemaAsync("User", body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("lena", json.RootElement.GetProperty("name").GetString());
        var scopes = json.RootElement.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("read:users!user=lena", scopes);
        Assert.Contains("access:servers!user=lena", scopes);
        Assert.DoesNotContain("admin:users", scopes);
        Assert.StartsWith("a", json.RootElement.GetProperty("token_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_PaginatedList_HasAbsoluteNextUrlAndMatchesSpec()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Hub:PublicUrl"] = "http://hub.example.edu:8000" });
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await BodyAsync(await admin.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "u1", "u2", "u3", "u4" } }), HttpStatusCode.Created);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/hub/api/users?limit=2&sort=name");
        request.Headers.Accept.ParseAdd("application/jupyterhub-pagination+json");
        string body = await BodyAsync(await admin.SendAsync(request), HttpStatusCode.OK);

        await JupyterHubSpec.AssertSchemaAsync("PaginatedList", body);
        using var json = JsonDocument.Parse(body);
        var items = json.RootElement.GetProperty("items");
        foreach (var item in items.EnumerateArray())
        {
            await JupyterHubSpec.AssertSchemaAsync("User", item.GetRawText());
        }
        Assert.Equal(["admin", "u1"], items.EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        var pagination = json.RootElement.GetProperty("_pagination");
        Assert.Equal(5, pagination.GetProperty("total").GetInt32());
        string next = pagination.GetProperty("next").GetProperty("url").GetString()!;
        Assert.StartsWith("http://hub.example.edu:8000/hub/api/users?", next, StringComparison.Ordinal);
        Assert.Contains("offset=2", next, StringComparison.Ordinal);
        Assert.Contains("sort=name", next, StringComparison.Ordinal);

        string plain = await BodyAsync(await admin.GetAsync("/hub/api/users?offset=4"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/users", 200, plain);
        Assert.Single(JsonDocument.Parse(plain).RootElement.EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/hub/api/users?limit=-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/hub/api/users?state=sleepy")).StatusCode);
    }

    [Fact]
    public async Task Users_StateFilter_ActiveAndInactive()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await admin.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "running", "idle" } });
        await hub.Lifecycle.RequestStartAsync(new("running", ""), Core.Spawning.StartOptions.Default);

        var active = JsonDocument.Parse(await BodyAsync(await admin.GetAsync("/hub/api/users?state=active"), HttpStatusCode.OK)).RootElement;
        var inactive = JsonDocument.Parse(await BodyAsync(await admin.GetAsync("/hub/api/users?state=inactive"), HttpStatusCode.OK)).RootElement;

        Assert.Equal(["running"], active.EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        Assert.Contains("idle", inactive.EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        var server = active[0].GetProperty("servers").GetProperty("");
        Assert.True(server.GetProperty("ready").GetBoolean());
        Assert.Equal("/user/running/", active[0].GetProperty("server").GetString());
    }

    [Fact]
    public async Task User_CrudAsAdmin_MatchesSpecAndStatusCodes()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));

        string created = await BodyAsync(await admin.PostAsync("/hub/api/users/Nora", null), HttpStatusCode.Created);
        await JupyterHubSpec.AssertResponseAsync("post", "/users/{name}", 201, created);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/hub/api/users/nora", null)).StatusCode);
        await JupyterHubSpec.AssertResponseAsync("get", "/users/{name}", 200, await BodyAsync(await admin.GetAsync("/hub/api/users/nora"), HttpStatusCode.OK));
        string patched = await BodyAsync(await admin.PatchAsJsonAsync("/hub/api/users/nora", new { admin = true }), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("patch", "/users/{name}", 200, patched);
        Assert.True(JsonDocument.Parse(patched).RootElement.GetProperty("admin").GetBoolean());
        string renamed = await BodyAsync(await admin.PatchAsJsonAsync("/hub/api/users/nora", new { name = "nora2" }), HttpStatusCode.OK);
        Assert.Equal("nora2", JsonDocument.Parse(renamed).RootElement.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/hub/api/users/nora2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/hub/api/users/nora2")).StatusCode);
    }

    [Fact]
    public async Task Server_UsedSeconds_ShownToThoseWhoMayReadTheServerAndMatchesSpec()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        var carla = hub.Api(await hub.TokenAsync("carla"));
        var dave = hub.Api(await hub.TokenAsync("dave"));
        await hub.Store.Servers.CreateAsync(new Core.Store.ServerRecord { User = "carla", Phase = Core.Store.ServerPhase.Stopped, UsedSeconds = 12_600 });

        string asAdmin = await BodyAsync(await admin.GetAsync("/hub/api/users/carla?include_stopped_servers"), HttpStatusCode.OK);
        string asOwner = await BodyAsync(await carla.GetAsync("/hub/api/users/carla?include_stopped_servers"), HttpStatusCode.OK);
        var asOther = await dave.GetAsync("/hub/api/users/carla?include_stopped_servers");
        string listed = await BodyAsync(await admin.GetAsync("/hub/api/users?include_stopped_servers=1&name_filter=carla"), HttpStatusCode.OK);

        // The User schema, as the other tests with servers check it (the operation-rooted check cannot resolve the Server $ref).
        await JupyterHubSpec.AssertSchemaAsync("User", asAdmin);
        await JupyterHubSpec.AssertSchemaAsync("User", JsonDocument.Parse(listed).RootElement[0].GetRawText());
        Assert.Equal(12_600, JsonDocument.Parse(asAdmin).RootElement.GetProperty("servers").GetProperty("").GetProperty("used_seconds").GetInt64());
        Assert.Equal(12_600, JsonDocument.Parse(asOwner).RootElement.GetProperty("servers").GetProperty("").GetProperty("used_seconds").GetInt64());
        Assert.Equal(12_600, JsonDocument.Parse(listed).RootElement[0].GetProperty("servers").GetProperty("").GetProperty("used_seconds").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, asOther.StatusCode);
        Assert.DoesNotContain("used_seconds", await asOther.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_OtherUsersModel_404ForUserSameAsMissing()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var olga = hub.Api(await hub.TokenAsync("olga"));
        await hub.TokenAsync("pavel");

        var other = await olga.GetAsync("/hub/api/users/pavel");
        var missing = await olga.GetAsync("/hub/api/users/nobody-here");

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await olga.GetAsync("/hub/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await olga.PostAsync("/hub/api/users/quinn", null)).StatusCode);
    }

    [Fact]
    public async Task Admin_NonAdminCannotGrantAdmin_ThroughAnyRoute()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        string token = await hub.TokenAsync("rita");
        var rita = hub.Api(token);

        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PatchAsJsonAsync("/hub/api/users/rita", new { admin = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "sam" }, admin = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PostAsJsonAsync("/hub/api/users/rita/tokens", new { scopes = new[] { "admin:users" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PostAsJsonAsync("/hub/api/users/rita/tokens", new { roles = new[] { "admin" } })).StatusCode);
        Assert.False((await hub.Store.Users.GetAsync("rita"))!.Admin);

        // A token with a filtered admin:users (GHSA-69wv-m5fw-2fhp) may not create users at all.
        var admin = hub.Api(await hub.TokenAsync("admin"));
        string filtered = JsonDocument.Parse(await BodyAsync(await admin.PostAsJsonAsync("/hub/api/users/admin/tokens", new { scopes = new[] { "admin:users!group=course" } }), HttpStatusCode.Created))
            .RootElement.GetProperty("token").GetString()!;
        var narrowAdmin = hub.Api(filtered);
        Assert.Equal(HttpStatusCode.Forbidden, (await narrowAdmin.PostAsJsonAsync("/hub/api/users", new { usernames = new[] { "sam" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await narrowAdmin.PatchAsJsonAsync("/hub/api/users/rita", new { admin = false })).StatusCode);
        Assert.Null(await hub.Store.Users.GetAsync("sam"));
    }

    [Fact]
    public async Task UserNames_CaseAndSpaceVariants_AreOneUser()
    {
        await using var hub = await TestHub.StartAsync(azurite);

        await hub.LoginAsync("Bob");
        await hub.LoginAsync(" BOB ");
        await hub.LoginAsync("bob");

        var names = new List<string>();
        await foreach (var user in hub.Store.Users.ListAsync())
        {
            names.Add(user.Name);
        }
        Assert.Equal(["bob"], names);
    }

    [Fact]
    public async Task CookieApiRequest_StateChangeWithoutXsrf_Is403EvenWithNoCorsFetch()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (client, cookies) = await hub.LoginAsync("tina");

        var noToken = new HttpRequestMessage(HttpMethod.Post, "/hub/api/users/tina/server");
        noToken.Headers.Add("Sec-Fetch-Mode", "no-cors");
        var refused = await client.SendAsync(noToken);
        var wrongToken = new HttpRequestMessage(HttpMethod.Delete, "/hub/api/users/tina/server");
        wrongToken.Headers.Add("X-XSRFToken", "forged.token");
        var forged = await client.SendAsync(wrongToken);
        var withToken = new HttpRequestMessage(HttpMethod.Post, "/hub/api/users/tina/server");
        withToken.Headers.Add("X-XSRFToken", hub.Xsrf(cookies));
        var accepted = await client.SendAsync(withToken);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("_xsrf", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Single(hub.Lifecycle.Starts);
    }

    [Fact]
    public async Task CookieApiRequest_XsrfTokenOfAnotherSession_Is403()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var (attacker, attackerCookies) = await hub.LoginAsync("uma");
        var (victim, victimCookies) = await hub.LoginAsync("vera");
        // Cookie tossing: the attacker plants its own, validly signed _xsrf cookie in the victim's browser.
        string planted = hub.Xsrf(attackerCookies);
        victimCookies.Add(new Uri(hub.Address, "/hub/"), new Cookie("_xsrf", planted, "/hub/"));

        var request = new HttpRequestMessage(HttpMethod.Post, "/hub/api/users/vera/server");
        request.Headers.Add("X-XSRFToken", planted);
        var response = await victim.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(hub.Lifecycle.Starts);
        _ = attacker;
    }

    [Fact]
    public async Task Tokens_CreateListGetDelete_MatchSpecAndStoreOnlyHash()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var wendy = hub.Api(await hub.TokenAsync("wendy"));

        string created = await BodyAsync(await wendy.PostAsJsonAsync("/hub/api/users/wendy/tokens", new { note = "<b>script</b>", expires_in = 3600, scopes = new[] { "read:users!user=wendy" } }), HttpStatusCode.Created);
        await JupyterHubSpec.AssertResponseAsync("post", "/users/{name}/tokens", 201, created);
        var json = JsonDocument.Parse(created).RootElement;
        string secret = json.GetProperty("token").GetString()!;
        string id = json.GetProperty("id").GetString()!;
        Assert.NotNull(json.GetProperty("expires_at").GetString());

        string list = await BodyAsync(await wendy.GetAsync("/hub/api/users/wendy/tokens"), HttpStatusCode.OK);
        await JupyterHubSpec.AssertResponseAsync("get", "/users/{name}/tokens", 200, list);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        await JupyterHubSpec.AssertResponseAsync("get", "/users/{name}/tokens/{token_id}", 200, await BodyAsync(await wendy.GetAsync($"/hub/api/users/wendy/tokens/{id}"), HttpStatusCode.OK));
        await foreach (var stored in hub.Store.Tokens.ListAsync())
        {
            Assert.NotEqual(secret, stored.Hash);
        }

        var narrow = hub.Api(secret);
        Assert.Equal(HttpStatusCode.OK, (await narrow.GetAsync("/hub/api/users/wendy")).StatusCode);
        var used = JsonDocument.Parse(await BodyAsync(await wendy.GetAsync($"/hub/api/users/wendy/tokens/{id}"), HttpStatusCode.OK)).RootElement;
        Assert.NotEqual(JsonValueKind.Null, used.GetProperty("last_activity").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, (await narrow.PostAsync("/hub/api/users/wendy/server", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await wendy.DeleteAsync($"/hub/api/users/wendy/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await narrow.GetAsync("/hub/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await wendy.GetAsync($"/hub/api/users/wendy/tokens/{id}")).StatusCode);
    }

    [Fact]
    public async Task Tokens_Expired_Refused()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var xena = hub.Api(await hub.TokenAsync("xena"));
        string created = await BodyAsync(await xena.PostAsJsonAsync("/hub/api/users/xena/tokens", new { expires_in = 1 }), HttpStatusCode.Created);
        var shortLived = hub.Api(JsonDocument.Parse(created).RootElement.GetProperty("token").GetString()!);

        await Eventually.UntilAsync(async () => (await shortLived.GetAsync("/hub/api/user")).StatusCode == HttpStatusCode.Forbidden,
            TimeSpan.FromSeconds(10), "the one-second token to expire");
    }

    [Fact]
    public async Task Tokens_LifetimeCap_DefaultsToCapAndRefusesLonger()
    {
        await using var hub = await TestHub.StartAsync(azurite, new Dictionary<string, string?> { ["Auth:TokenMaxLifetime"] = "1h" });
        var api = hub.Api(await hub.TokenAsync("ursula", new { expires_in = 600 }));

        var tooLong = await api.PostAsJsonAsync("/hub/api/users/ursula/tokens", new { expires_in = 7200 });
        string capped = await BodyAsync(await api.PostAsJsonAsync("/hub/api/users/ursula/tokens", new { note = "no expiry asked" }), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var expires = DateTimeOffset.Parse(JsonDocument.Parse(capped).RootElement.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"expires_in\": \"soon\"}")]
    [InlineData("{\"scopes\": [\"no-such-scope\"]}")]
    [InlineData("{\"scopes\": \"read:users\"}")]
    public async Task Tokens_BadBody_Is400Problem(string body)
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var yuri = hub.Api(await hub.TokenAsync("yuri"));

        var response = await yuri.PostAsync("/hub/api/users/yuri/tokens", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("/hub/api/users/zed/server")]
    [InlineData("/hub/api/users/zed/tokens")]
    [InlineData("/hub/api/users/zed/activity")]
    [InlineData("/hub/api/users/zed/servers/lab")]
    public async Task InvalidUtf8InsideAJsonString_Is400Problem(string path)
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var zed = hub.Api(await hub.TokenAsync("zed"));
        byte[] body = [.. "{\"note\": \"a"u8, 0xFF, 0xFE, .. "\", \"profile\": \"\xC3\"}"u8];

        var response = await zed.PostAsync(path, new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("UTF-8", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_ServerRole_OnlyActivityOfOwnServer()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var zoe = hub.Api(await hub.TokenAsync("zoe"));
        await hub.Lifecycle.RequestStartAsync(new("zoe", ""), Core.Spawning.StartOptions.Default);
        string created = await BodyAsync(await zoe.PostAsJsonAsync("/hub/api/users/zoe/tokens", new { roles = new[] { "server" } }), HttpStatusCode.Created);
        var server = hub.Api(JsonDocument.Parse(created).RootElement.GetProperty("token").GetString()!);
        string now = DateTimeOffset.UtcNow.ToString("o");

        var activity = await server.PostAsJsonAsync("/hub/api/users/zoe/activity", new { servers = new Dictionary<string, object> { [""] = new { last_activity = now } } });
        var read = await server.GetAsync("/hub/api/users/zoe");

        Assert.Equal(HttpStatusCode.OK, activity.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        var record = (await hub.Store.Servers.GetAsync(new("zoe", "")))!;
        Assert.Equal(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), record.LastActivity);
        Assert.Equal(Core.Store.ActivityKind.ServerReported, record.LastActivityKind);
        string model = await BodyAsync(await zoe.GetAsync("/hub/api/users/zoe"), HttpStatusCode.OK);
        Assert.Equal("server-reported", JsonDocument.Parse(model).RootElement.GetProperty("servers").GetProperty("").GetProperty("last_activity_kind").GetString());
    }

    [Fact]
    public async Task Activity_ValidFutureAndMalformed_200And400()
    {
        await using var hub = await TestHub.StartAsync(azurite);
        var admin = hub.Api(await hub.TokenAsync("admin"));
        await hub.Lifecycle.RequestStartAsync(new("admin", ""), Core.Spawning.StartOptions.Default);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);

        var ok = await admin.PostAsJsonAsync("/hub/api/users/admin/activity", new { last_activity = at.ToString("o"), servers = new Dictionary<string, object> { [""] = new { last_activity = at.ToString("o") } } });
        var future = await admin.PostAsJsonAsync("/hub/api/users/admin/activity", new { last_activity = DateTimeOffset.UtcNow.AddHours(2).ToString("o") });
        var noServer = await admin.PostAsJsonAsync("/hub/api/users/admin/activity", new { servers = new Dictionary<string, object> { ["gpu"] = new { last_activity = at.ToString("o") } } });
        var malformed = await admin.PostAsync("/hub/api/users/admin/activity", new StringContent("{\"last_activity\":", System.Text.Encoding.UTF8, "application/json"));
        var older = await admin.PostAsJsonAsync("/hub/api/users/admin/activity", new { last_activity = at.AddDays(-1).ToString("o") });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noServer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(at, (await hub.Store.Servers.GetAsync(new("admin", "")))!.LastActivity!.Value, TimeSpan.FromMilliseconds(1));
        Assert.True((await hub.Store.Users.GetAsync("admin"))!.LastActivity >= at);
    }

    [Fact]
    public async Task UnknownApiPath_Is404Problem()
    {
        await using var hub = await TestHub.StartAsync(azurite);

        var response = await hub.Plane.Client.GetAsync("/hub/api/no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
