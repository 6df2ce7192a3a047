using System.Text.Json;
using Hub.Core.Auth;
using Hub.Core.Hosting;
using Hub.Core.Services;
using Hub.Core.Store;
using Hub.Functions.Api;
using Hub.Functions.Api.Models;
using Hub.Functions.Services;

namespace Hub.Functions.Tests.Api;

/// <summary>
/// The response records on the wire as JupyterHub writes its models: a field the scopes do not allow is left out, a
/// field that is allowed but empty is written as <c>null</c>.
/// </summary>
public sealed class ResponseShapeTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static string Json(object value) => JsonSerializer.Serialize(value, ApiJson.Options);

    [Fact]
    public void User_NameOnlyScope_HasKindAndNameOnly()
    {
        var bob = new UserRecord { Name = "bob", Created = Created };
        var nameOnly = ScopeSet.FromScopes(["read:users:name"], "alice", null);

        Assert.Equal("""{"kind":"user","name":"bob"}""", Json(new ApiModels(new HubOptions()).User(bob, [], nameOnly, includeStopped: false)));
    }

    [Fact]
    public void User_OwnScopes_WritesNullsForWhatIsAllowedButEmpty()
    {
        var bob = new UserRecord { Name = "bob", Created = Created };

        string json = Json(new ApiModels(new HubOptions()).User(bob, [], ScopeSet.ForUser(bob), includeStopped: false));

        Assert.Equal(
            """{"kind":"user","name":"bob","admin":false,"roles":["user"],"groups":[],"created":"2026-01-02T03:04:05.000000Z","last_activity":null,"server":null,"pending":null,"servers":{}}""",
            json);
    }

    [Fact]
    public void Identity_WritesScopesAndNullSessionAndTokenIds()
    {
        var model = new UserResponse { Name = "bob" } with { Scopes = ["read:users!user=bob"], SessionId = new Optional<string?>(null), TokenId = null };

        Assert.Equal("""{"kind":"user","name":"bob","scopes":["read:users!user=bob"],"session_id":null,"token_id":null}""", Json(model));
    }

    [Fact]
    public void Token_SecretOnlyWhenGiven()
    {
        var token = new TokenRecord { Hash = "h", Id = "a1", User = "bob", Created = Created, Scopes = ["self"] };

        string listed = Json(ApiModels.Token(token));
        string created = Json(ApiModels.Token(token, "secret"));

        Assert.Equal(
            """{"id":"a1","kind":"api_token","user":"bob","roles":[],"scopes":["self"],"note":"","created":"2026-01-02T03:04:05.000000Z","expires_at":null,"last_activity":null,"session_id":null}""",
            listed);
        Assert.EndsWith(""","session_id":null,"token":"secret"}""", created, StringComparison.Ordinal);
    }

    [Fact]
    public void Group_WithoutReadGroups_HasKindAndNameOnly()
    {
        var nameOnly = ScopeSet.FromScopes(["read:groups:name"], "alice", null);
        var reader = ScopeSet.FromScopes(["read:groups"], "alice", null);

        Assert.Equal("""{"kind":"group","name":"tas"}""", Json(ApiModels.Group("tas", ["bob"], nameOnly)));
        Assert.Equal("""{"kind":"group","name":"tas","users":["bob"],"properties":{}}""", Json(ApiModels.Group("tas", ["bob"], reader)));
    }

    [Fact]
    public void Page_Envelope_NamesPaginationWithItsUnderscore()
    {
        var page = new PageResponse<NameResponse>([new("bob")], new PaginationResponse(0, 1, 2, new NextPageResponse(1, 1, "http://hub/hub/api/users?offset=1&limit=1")));

        Assert.Equal(
            """{"items":[{"name":"bob"}],"_pagination":{"offset":0,"limit":1,"total":2,"next":{"offset":1,"limit":1,"url":"http://hub/hub/api/users?offset=1\u0026limit=1"}}}""",
            Json(page));
    }

    [Fact]
    public void ProgressEvent_OptionalFieldsOnlyWhenTheyApply()
    {
        Assert.Equal("""{"progress":10,"message":"Queued","html_message":"Queued","queue_position":3}""", Json(new ProgressEvent(10, "Queued", "Queued") { QueuePosition = 3 }));
        Assert.Equal("""{"progress":100,"message":"Ready","html_message":"Ready","ready":true,"url":"/user/bob/"}""", Json(new ProgressEvent(100, "Ready", "Ready") { Ready = true, Url = "/user/bob/" }));
    }

    private static readonly ServiceDefinition Grader = new("grader", null, ["admin"], [], new Uri("http://127.0.0.1:9000/"), true, new Dictionary<string, string> { ["Course"] = "CS 101" }, []);

    [Fact]
    public void Service_ReadServices_WholeModelWithInfoKeysAsGiven()
    {
        var reader = ScopeSet.FromScopes(["read:services"], "alice", null);

        Assert.Equal(
            """{"kind":"service","name":"grader","roles":["admin"],"admin":true,"url":"http://127.0.0.1:9000/","prefix":"/services/grader/","command":[],"pid":0,"info":{"Course":"CS 101"},"display":true}""",
            Json(ServiceModels.Service(Grader, reader)!));
    }

    [Fact]
    public void Service_ApiOnly_EmptyUrlAndPrefix()
    {
        var apiOnly = Grader with { Url = null, Roles = [], Info = new Dictionary<string, string>() };

        Assert.Equal(
            """{"kind":"service","name":"grader","roles":[],"admin":false,"url":"","prefix":"","command":[],"pid":0,"info":{},"display":true}""",
            Json(ServiceModels.Service(apiOnly, ScopeSet.FromScopes(["read:services!service=grader"], "alice", null))!));
    }

    [Fact]
    public void Service_NameOrRolesScopes_OnlyThoseFieldsAndNothingWithoutThem()
    {
        var nameOnly = ScopeSet.FromScopes(["read:services:name"], "alice", null);
        var nameAndRoles = ScopeSet.FromScopes(["read:services:name", "read:roles:services"], "alice", null);
        var otherService = ScopeSet.FromScopes(["read:services!service=culler"], "alice", null);

        Assert.Equal("""{"kind":"service","name":"grader"}""", Json(ServiceModels.Service(Grader, nameOnly)!));
        Assert.Equal("""{"kind":"service","name":"grader","roles":["admin"]}""", Json(ServiceModels.Service(Grader, nameAndRoles)!));
        Assert.Null(ServiceModels.Service(Grader, otherService));
        Assert.Equal("""{"kind":"service","name":"grader"}""", Json(ServiceModels.Listed(Grader, otherService)));
    }

    [Fact]
    public void ServiceIdentity_AddsRolesAdminAndScopes()
    {
        var own = ScopeSet.FromScopes(["list:users"], "Service:grader", null);
        var reader = ScopeSet.FromScopes(["read:services"], "Service:grader", null);

        Assert.Equal("""{"kind":"service","name":"grader","roles":["admin"],"admin":true,"scopes":""" + Json(own.ToList()) + "}", Json(ServiceModels.Identity(Grader, own)));
        Assert.EndsWith(""","display":true,"scopes":""" + Json(reader.ToList()) + "}", Json(ServiceModels.Identity(Grader, reader)), StringComparison.Ordinal);
        Assert.Contains("list:users", own.ToList());
    }
}
