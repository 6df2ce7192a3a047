using System.Text.Json;
using Hub.Core.Sharing;
using Hub.Core.Users;
using Hub.Functions.Api.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Api;

/// <summary>
/// The request records read bodies as the handlers used to: each bad field is a 400 whose message names it, and an
/// absent body (<c>null</c> from <see cref="Hub.Functions.Api.ApiBody"/>, also for a JSON <c>null</c>) gives the defaults or the
/// record's own "the body must be" message.
/// </summary>
public sealed class RequestRecordTests
{
    private static readonly UserNamePolicy Names = new(new UserNameOptions());
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static JsonElement? Body(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>The status and <c>message</c> of a problem, as the client reads them.</summary>
    private static async Task<(int Status, string Message)> ProblemAsync(IResult? problem)
    {
        Assert.NotNull(problem);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await problem.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, json.RootElement.GetProperty("message").GetString()!);
    }

    private static async Task AssertBadRequestAsync(bool ok, IResult? problem, string message)
    {
        Assert.False(ok);
        Assert.Equal((400, message), await ProblemAsync(problem));
    }

    [Theory]
    [InlineData(null, "The body must be {\"usernames\": [...], \"admin\": false}.")]
    [InlineData("{}", "The body must be {\"usernames\": [...], \"admin\": false}.")]
    [InlineData("{\"usernames\": \"ada\"}", "The body must be {\"usernames\": [...], \"admin\": false}.")]
    [InlineData("{\"usernames\": [\"ada\"], \"admin\": \"yes\"}", "admin must be true or false.")]
    [InlineData("{\"usernames\": [\"ada\"], \"admin\": null}", "admin must be true or false.")]
    [InlineData("{\"usernames\": [\"ada\", 7]}", "Invalid user name Number: not a string")]
    [InlineData("{\"usernames\": [\"\"]}", "Invalid user name : A user name cannot be empty.")]
    public async Task UsersCreate_BadField_400NamingIt(string? json, string message)
    {
        bool ok = UsersCreateRequest.TryRead(Body(json), Names, out _, out var problem);

        await AssertBadRequestAsync(ok, problem, message);
    }

    [Fact]
    public async Task UsersCreate_TooMany_400SayingTheLimit()
    {
        string json = JsonSerializer.Serialize(new { usernames = Enumerable.Range(0, UsersCreateRequest.MaxUsers + 1).Select(i => "u" + i) });

        bool ok = UsersCreateRequest.TryRead(Body(json), Names, out _, out var problem);

        await AssertBadRequestAsync(ok, problem, "At most 1000 users can be created at once.");
    }

    [Fact]
    public void UsersCreate_Names_NormalizedOnceEachAdminFalseByDefault()
    {
        Assert.True(UsersCreateRequest.TryRead(Body("{\"usernames\": [\"Ada\", \" ada \", \"bob\"]}"), Names, out var request, out _));

        Assert.Equal(["ada", "bob"], request.Usernames);
        Assert.False(request.Admin);
    }

    [Fact]
    public async Task UsersAndUserPatch_OnlyANameBad_StillGiveAdminForTheGrantCheckFirst()
    {
        bool created = UsersCreateRequest.TryRead(Body("{\"usernames\": [\"\"], \"admin\": true}"), Names, out var create, out var createProblem);
        bool patched = UserPatchRequest.TryRead(Body("{\"name\": 1, \"admin\": true}"), Names, out var patch, out var patchProblem);

        await AssertBadRequestAsync(created, createProblem, "Invalid user name : A user name cannot be empty.");
        await AssertBadRequestAsync(patched, patchProblem, "Invalid user name: not a string");
        Assert.True(create.Admin);
        Assert.True(patch.Admin);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("{}", false)]
    [InlineData("{\"admin\": true}", true)]
    public void UserCreate_AbsentOrGivenAdmin_ReadsIt(string? json, bool admin)
    {
        Assert.True(UserCreateRequest.TryRead(Body(json), out var request, out _));

        Assert.Equal(admin, request.Admin);
    }

    [Fact]
    public async Task UserCreate_AdminNotABool_400NamingIt()
    {
        bool ok = UserCreateRequest.TryRead(Body("{\"admin\": 1}"), out _, out var problem);

        await AssertBadRequestAsync(ok, problem, "admin must be true or false.");
    }

    [Theory]
    [InlineData(null, "The body must change name or admin: {\"name\": \"…\", \"admin\": true}.")]
    [InlineData("{\"other\": 1}", "The body must change name or admin: {\"name\": \"…\", \"admin\": true}.")]
    [InlineData("{\"admin\": \"no\"}", "admin must be true or false.")]
    [InlineData("{\"name\": 5}", "Invalid user name: not a string")]
    [InlineData("{\"name\": \"  \"}", "Invalid user name: A user name cannot be empty.")]
    public async Task UserPatch_BadField_400NamingIt(string? json, string message)
    {
        bool ok = UserPatchRequest.TryRead(Body(json), Names, out _, out var problem);

        await AssertBadRequestAsync(ok, problem, message);
    }

    [Fact]
    public void UserPatch_OneField_OtherUnchanged()
    {
        Assert.True(UserPatchRequest.TryRead(Body("{\"name\": \"Ada\"}"), Names, out var renamed, out _));
        Assert.True(UserPatchRequest.TryRead(Body("{\"admin\": false}"), Names, out var demoted, out _));

        Assert.Equal(new UserPatchRequest("ada", null), renamed);
        Assert.Equal(new UserPatchRequest(null, false), demoted);
    }

    [Theory]
    [InlineData(null, "The body must be {\"users\": [\"name\", ...]}.")]
    [InlineData("{\"users\": null}", "The body must be {\"users\": [\"name\", ...]}.")]
    [InlineData("{\"users\": [true]}", "Every user must be a name (a string), not True.")]
    [InlineData("{\"users\": [\"\"]}", "Invalid user name : A user name cannot be empty.")]
    public async Task GroupUsers_BadField_400NamingIt(string? json, string message)
    {
        bool ok = GroupUsersRequest.TryRead(Body(json), out _, out var problem);

        await AssertBadRequestAsync(ok, problem, message);
    }

    [Fact]
    public async Task GroupUsers_TooMany_400SayingTheLimit()
    {
        string json = JsonSerializer.Serialize(new { users = Enumerable.Range(0, GroupUsersRequest.MaxUsers + 1).Select(i => "u" + i) });

        bool ok = GroupUsersRequest.TryRead(Body(json), out _, out var problem);

        await AssertBadRequestAsync(ok, problem, "At most 1000 users can be changed at once.");
    }

    [Fact]
    public void GroupUsers_Names_FoldedOnceEach()
    {
        Assert.True(GroupUsersRequest.TryRead(Body("{\"users\": [\"Ada\", \"ada\", \"bob\"]}"), out var request, out _));

        Assert.Equal(["ada", "bob"], request.Users);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("{\"properties\": null}")]
    [InlineData("{\"properties\": {}}")]
    public void GroupCreate_NoUsersNoProperties_NoUsers(string? json)
    {
        Assert.True(GroupCreateRequest.TryRead(Body(json), out var request, out _));

        Assert.Null(request.Users);
    }

    [Theory]
    [InlineData("{\"properties\": {\"a\": 1}}", "This hub does not store group properties. Leave out \"properties\".")]
    [InlineData("{\"users\": null}", "The body must be {\"users\": [\"name\", ...]}.")]
    [InlineData("{\"users\": [1]}", "Every user must be a name (a string), not Number.")]
    public async Task GroupCreate_BadField_400NamingIt(string json, string message)
    {
        bool ok = GroupCreateRequest.TryRead(Body(json), out _, out var problem);

        await AssertBadRequestAsync(ok, problem, message);
    }

    [Fact]
    public async Task GroupProperties_AbsentBody_400AndEmptyObjectSetsNone()
    {
        bool absent = GroupPropertiesRequest.TryRead(null, out _, out var problem);
        Assert.True(GroupPropertiesRequest.TryRead(Body("{}"), out var none, out _));
        Assert.True(GroupPropertiesRequest.TryRead(Body("{\"a\": 1}"), out var some, out _));

        await AssertBadRequestAsync(absent, problem, "The body must be the group's properties as a JSON object.");
        Assert.False(none.SetsAny);
        Assert.True(some.SetsAny);
    }

    [Theory]
    [InlineData(null, "The body must be an object with last_activity and/or servers.")]
    [InlineData("{}", "The body must hold last_activity and/or servers.")]
    [InlineData("{\"last_activity\": null}", "last_activity must be an ISO 8601 timestamp.")]
    [InlineData("{\"last_activity\": \"yesterday\"}", "last_activity must be an ISO 8601 timestamp.")]
    [InlineData("{\"last_activity\": \"2026-01-02T05:00:00Z\"}", "last_activity is too far in the future.")]
    [InlineData("{\"servers\": []}", "servers must be an object of server names.")]
    [InlineData("{\"servers\": {\"lab\": {}}}", "servers.lab must be an object with last_activity.")]
    [InlineData("{\"servers\": {\"lab\": {\"last_activity\": 3}}}", "servers.lab.last_activity must be an ISO 8601 timestamp.")]
    public async Task Activity_BadField_400NamingIt(string? json, string message)
    {
        bool ok = ActivityRequest.TryRead(Body(json), Now, out _, out var problem);

        await AssertBadRequestAsync(ok, problem, message);
    }

    [Fact]
    public void Activity_UserAndServers_ReadAsUtc()
    {
        string json = """{"last_activity": "2026-01-02T04:00:00+01:00", "servers": {"": {"last_activity": "2026-01-02T03:00:00"}}}""";

        Assert.True(ActivityRequest.TryRead(Body(json), Now, out var request, out _));

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero), request.LastActivity);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero), Assert.Single(request.Servers).Value);
    }

    [Fact]
    public void ServerStart_AbsentBody_DefaultOptions()
    {
        Assert.Same(Hub.Core.Spawning.StartOptions.Default, ServerStartRequest.Read(null).Options);
    }

    [Theory]
    [InlineData("""{"profile": "gpu", "cpus": 2}""")]
    [InlineData("""{"user_options": {"profile": "gpu", "cpus": 2}}""")]
    public void ServerStart_BareOrWrappedOptions_ProfileApartOthersAsText(string json)
    {
        var options = ServerStartRequest.Read(Body(json)).Options;

        Assert.Equal("gpu", options.Profile);
        Assert.Equal(new Dictionary<string, string> { ["cpus"] = "2" }, options.UserOptions);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("{}", false)]
    [InlineData("{\"remove\": true}", true)]
    public void ServerStop_AbsentOrGivenRemove_ReadsIt(string? json, bool remove)
    {
        Assert.True(ServerStopRequest.TryRead(Body(json), out var request, out _));

        Assert.Equal(remove, request.Remove);
    }

    [Theory]
    [InlineData("{\"remove\": null}")]
    [InlineData("{\"remove\": \"true\"}")]
    public async Task ServerStop_RemoveNotABool_400NamingIt(string json)
    {
        bool ok = ServerStopRequest.TryRead(Body(json), out _, out var problem);

        await AssertBadRequestAsync(ok, problem, "remove must be true or false.");
    }

    [Theory]
    [InlineData(null, "Specify exactly one of `user` or `group`.")]
    [InlineData("{\"user\": null}", "Specify exactly one of `user` or `group`.")]
    [InlineData("{\"user\": \"ada\", \"group\": \"tas\"}", "Expected exactly one of `user` or `group`, not both.")]
    [InlineData("{\"user\": 1}", "user must be a string.")]
    [InlineData("{\"group\": []}", "group must be a string.")]
    [InlineData("{\"user\": \"ada\", \"scopes\": \"read:users\"}", "scopes must be a list of strings.")]
    [InlineData("{\"user\": \"ada\", \"scopes\": [1]}", "scopes must be a list of strings.")]
    [InlineData("{\"user\": \"ada\", \"note\": \"x\"}", "Unknown field 'note' (expected user, group, scopes).")]
    public async Task Share_BadField_400NamingIt(string? json, string message)
    {
        bool ok = ShareRequest.TryRead(Body(json), out _, out var problem);

        await AssertBadRequestAsync(ok, problem, message);
    }

    [Fact]
    public void Share_UserWithoutScopes_ScopesNull()
    {
        Assert.True(ShareRequest.TryRead(Body("{\"user\": \"ada\", \"scopes\": null}"), out var request, out _));

        Assert.Equal(new ShareRequest("ada", null, null), request);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("{\"expires_in\": null, \"scopes\": null}")]
    public void ShareCode_AbsentFields_DefaultLifetimeNoScopes(string? json)
    {
        Assert.True(ShareCodeRequest.TryRead(Body(json), out var request, out _));

        Assert.Equal(new ShareCodeRequest(null, ShareGrants.DefaultCodeLifetime), request);
    }

    [Theory]
    [InlineData("{\"expires_in\": \"60\"}", "expires_in must be a whole number of seconds from 60 (a minute) to 31536000 (a year).")]
    [InlineData("{\"expires_in\": 59}", "expires_in must be a whole number of seconds from 60 (a minute) to 31536000 (a year).")]
    [InlineData("{\"expires_in\": 60.5}", "expires_in must be a whole number of seconds from 60 (a minute) to 31536000 (a year).")]
    [InlineData("{\"expires_in\": 31536001}", "expires_in must be a whole number of seconds from 60 (a minute) to 31536000 (a year).")]
    [InlineData("{\"scopes\": [null]}", "scopes must be a list of strings.")]
    [InlineData("{\"user\": \"ada\"}", "Unknown field 'user' (expected scopes, expires_in).")]
    public async Task ShareCode_BadField_400NamingIt(string json, string message)
    {
        bool ok = ShareCodeRequest.TryRead(Body(json), out _, out var problem);

        await AssertBadRequestAsync(ok, problem, message);
    }

    [Fact]
    public void ShareCode_Fields_Read()
    {
        Assert.True(ShareCodeRequest.TryRead(Body("{\"expires_in\": 3600, \"scopes\": [\"read:users\"]}"), out var request, out _));

        Assert.Equal(TimeSpan.FromHours(1), request.ExpiresIn);
        Assert.Equal(["read:users"], request.Scopes!);
    }

    [Theory]
    [InlineData("{\"note\": 1}", "note must be a string of at most 1000 characters.")]
    [InlineData("{\"expires_in\": -1}", "expires_in must be a number of seconds (0 or absent: no expiry).")]
    [InlineData("{\"scopes\": \"self\"}", "scopes must be a list of at most 100 strings.")]
    [InlineData("{\"roles\": [1]}", "roles must be a list of role names.")]
    public async Task Token_BadField_400NamingIt(string json, string message)
    {
        bool ok = TokenRequest.TryRead(Body(json), out _, out var problem);

        await AssertBadRequestAsync(ok, problem, message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{\"note\": null, \"expires_in\": 0, \"scopes\": null, \"roles\": null}")]
    public void Token_AbsentFields_Defaults(string? json)
    {
        Assert.True(TokenRequest.TryRead(Body(json), out var request, out _));

        Assert.Null(request.Note);
        Assert.Null(request.ExpiresIn);
        Assert.Empty(request.Scopes);
        Assert.Empty(request.Roles);
    }
}
