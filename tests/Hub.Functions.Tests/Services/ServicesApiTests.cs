using System.Net;
using System.Text.Json;
using Hub.Core.Configuration;
using Hub.Functions.Tests.Api;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Hub.Functions.Tests.Services;

/// <summary>
/// Externally run services configured by app settings, against the real control plane: a service's token holds
/// exactly its scopes (an idle culler's least privilege), <c>GET /hub/api/services[/{name}]</c> answers the spec's
/// shapes, and bad service settings stop the start naming each key.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServicesApiTests(AzuriteFixture azurite)
{
    private static readonly string CullerToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly string BossToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Services:0:Name"] = "culler",
        ["Services:0:ApiToken"] = CullerToken,
        ["Services:0:Scopes"] = "list:users,read:users:activity,admin:servers",
        ["Services:1:Name"] = "grader",
        ["Services:1:ApiToken"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Services:1:Url"] = "http://127.0.0.1:9/",
        ["Services:1:Display"] = "false",
        ["Services:1:Info:Course"] = "Physics 101",
        ["Services:1:AccessGroups"] = "teachers",
        ["Services:2:Name"] = "boss",
        ["Services:2:ApiToken"] = BossToken,
        ["Services:2:Roles"] = "admin",
    };

    [Fact]
    public async Task CullerToken_ListsUsersWithItsScopesOnly()
    {
        await using var hub = await TestHub.StartAsync(azurite, Settings);
        await hub.TokenAsync("student");
        var culler = hub.Api(CullerToken);

        var users = await culler.GetAsync("/hub/api/users?state=ready");
        var me = JsonDocument.Parse(await culler.GetStringAsync("/hub/api/user")).RootElement;
        var create = await culler.PostAsync("/hub/api/users/mallory", null);
        var delete = await culler.DeleteAsync("/hub/api/users/student");
        var tokens = await culler.GetAsync("/hub/api/users/student/tokens");
        var services = await culler.GetAsync("/hub/api/services");
        var page = await culler.GetAsync("/hub/home");

        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Equal("service", me.GetProperty("kind").GetString());
        Assert.Equal("culler", me.GetProperty("name").GetString());
        Assert.False(me.GetProperty("admin").GetBoolean());
        var scopes = me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("list:users", scopes);
        Assert.Contains("delete:servers", scopes);
        Assert.DoesNotContain("admin:users", scopes);
        Assert.DoesNotContain("read:tokens", scopes);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tokens.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, services.StatusCode);
        Assert.Equal("/hub/login", page.RequestMessage!.RequestUri!.AbsolutePath); // a service's token is no login for the pages
    }

    [Fact]
    public async Task CullerToken_ListsUsersAndStillExistsAfterwards_ATokenOneCharacterOffIsNobody()
    {
        await using var hub = await TestHub.StartAsync(azurite, Settings);
        await hub.TokenAsync("student");
        var culler = hub.Api(CullerToken);
        var near = hub.Api(CullerToken[..^1] + (CullerToken[^1] == '0' ? '1' : '0'));

        var list = JsonDocument.Parse(await culler.GetStringAsync("/hub/api/users")).RootElement;

        Assert.Contains(list.EnumerateArray(), u => u.GetProperty("name").GetString() == "student");
        Assert.Equal(HttpStatusCode.Forbidden, (await near.GetAsync("/hub/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await near.GetAsync("/hub/api/user")).StatusCode);
    }

    [Fact]
    public async Task AdminRoleService_MayDoWhatAnAdminMay()
    {
        await using var hub = await TestHub.StartAsync(azurite, Settings);
        var boss = hub.Api(BossToken);

        var created = await boss.PostAsync("/hub/api/users/newcomer", null);
        var me = JsonDocument.Parse(await boss.GetStringAsync("/hub/api/user")).RootElement;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(me.GetProperty("admin").GetBoolean());
        Assert.Equal(["admin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ServicesList_AndOneService_MatchTheSpec()
    {
        await using var hub = await TestHub.StartAsync(azurite, Settings);
        var admin = hub.Api(await hub.TokenAsync("admin"));

        string list = await admin.GetStringAsync("/hub/api/services");
        var one = await admin.GetAsync("/hub/api/services/grader");
        string grader = await one.Content.ReadAsStringAsync();
        var missing = await admin.GetAsync("/hub/api/services/nosuch");

        await JupyterHubSpec.AssertResponseAsync("GET", "/services", 200, list);
        await JupyterHubSpec.AssertResponseAsync("GET", "/services/{name}", 200, grader);
        Assert.Equal(["boss", "culler", "grader"], JsonDocument.Parse(list).RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var model = JsonDocument.Parse(grader).RootElement;
        Assert.Equal("service", model.GetProperty("kind").GetString());
        Assert.Equal("http://127.0.0.1:9/", model.GetProperty("url").GetString());
        Assert.Equal("/services/grader/", model.GetProperty("prefix").GetString());
        Assert.False(model.GetProperty("admin").GetBoolean());
        Assert.False(model.GetProperty("display").GetBoolean());
        Assert.Equal("Physics 101", model.GetProperty("info").GetProperty("Course").GetString());
        Assert.DoesNotContain(CullerToken, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Services_NeedTheirScopes()
    {
        await using var hub = await TestHub.StartAsync(azurite, Settings);
        var student = hub.Api(await hub.TokenAsync("student"));
        var named = hub.Api(await hub.TokenAsync("admin", new { note = "one service", scopes = new[] { "read:services!service=grader", "list:services!service=grader" } }));

        Assert.Equal(HttpStatusCode.Forbidden, (await student.GetAsync("/hub/api/services")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await student.GetAsync("/hub/api/services/grader")).StatusCode);
        var listed = JsonDocument.Parse(await named.GetStringAsync("/hub/api/services")).RootElement;
        Assert.Equal(["grader"], listed.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await named.GetAsync("/hub/api/services/grader")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await named.GetAsync("/hub/api/services/culler")).StatusCode);
    }

    [Fact]
    public void BadServiceSettings_StopTheStart_NamingEachKey_WithoutTheToken()
    {
        var bad = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Services:0:Name"] = "culler",
            ["Services:0:ApiToken"] = CullerToken,
            ["Services:1:Name"] = "culler",
            ["Services:1:ApiToken"] = BossToken,
            ["Services:2:Name"] = "Bad Name",
            ["Services:2:ApiToken"] = "short-secret-value",
            ["Services:3:Name"] = "grader",
            ["Services:3:ApiToken"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Services:3:Scopes"] = "list:users,read:everything",
            ["Services:3:Url"] = "ftp://grader.internal/",
            ["Services:4:Name"] = "nbexchange",
        };

        var error = Assert.Throws<AppSettingsException>(() => ControlPlaneApp.Build([], builder => builder.Configuration.AddInMemoryCollection(bad)));

        string message = error.Message;
        Assert.Contains("Services__1__Name repeats the service name 'culler' of Services__0__Name", message, StringComparison.Ordinal);
        Assert.Contains("Services__2__Name must be lower-case letters", message, StringComparison.Ordinal);
        Assert.Contains("Services__2__ApiToken must have 32 to 256 characters", message, StringComparison.Ordinal);
        Assert.Contains("Services__3__Scopes has a bad scope: 'read:everything' is not a scope.", message, StringComparison.Ordinal);
        Assert.Contains("Services__3__Url must be an absolute http or https URL", message, StringComparison.Ordinal);
        Assert.Contains("Services__4__ApiToken must be set", message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret-value", message, StringComparison.Ordinal);
        Assert.DoesNotContain(BossToken, message, StringComparison.Ordinal);
    }
}
