using Hub.Core.Auth;
using Hub.Core.Store;

namespace Hub.Core.Tests.Auth;

public sealed class ScopeSetTests
{
    private static UserRecord User(string name, bool admin = false, params string[] groups) =>
        new() { Name = name, Admin = admin, Created = DateTimeOffset.UnixEpoch, Groups = groups };

    [Fact]
    public void ForUser_NonAdmin_OwnResourcesOnly()
    {
        var scopes = ScopeSet.ForUser(User("alice"));

        Assert.True(scopes.Allows("read:users", "alice", []));
        Assert.True(scopes.Allows("servers", "alice", [], "gpu"));
        Assert.True(scopes.Allows("tokens", "alice", []));
        Assert.False(scopes.Allows("read:users", "bob", []));
        Assert.True(scopes.HasAny("read:users"));
        Assert.False(scopes.HasAny("list:users"));
        Assert.False(scopes.HasAny("admin:users"));
        Assert.Contains("access:servers!user=alice", scopes.ToList());
    }

    [Fact]
    public void AllowsGroup_UnfilteredFilteredAndUserFilters()
    {
        var admin = ScopeSet.ForUser(User("root", admin: true));
        var narrow = ScopeSet.FromScopes(["groups!group=class-x", "read:users!user=class-y"], "root", null);
        var student = ScopeSet.ForUser(User("kim", false, "class-x"));

        Assert.True(admin.AllowsGroup("groups", "any"));
        Assert.True(admin.AllowsGroup("delete:groups", "any"));
        Assert.True(narrow.AllowsGroup("read:groups", "class-x"));
        Assert.True(narrow.AllowsGroup("list:groups", "class-x"));
        Assert.False(narrow.AllowsGroup("groups", "Class-X"));
        Assert.False(narrow.AllowsGroup("delete:groups", "class-x"));
        Assert.False(narrow.AllowsGroup("read:users", "class-y"));
        Assert.False(student.AllowsGroup("read:groups", "class-x"));
    }

    [Fact]
    public void ForUser_Admin_WholeHubIncludingImpliedScopes()
    {
        var scopes = ScopeSet.ForUser(User("root", admin: true));

        Assert.True(scopes.HasUnfiltered("admin:users"));
        Assert.True(scopes.HasUnfiltered("list:users"));
        Assert.True(scopes.HasUnfiltered("read:users:activity"));
        Assert.True(scopes.HasUnfiltered("read:metrics"));
        Assert.True(scopes.Allows("delete:servers", "anyone", []));
    }

    [Fact]
    public void Filters_UserServerGroup_MatchOnlyTheirTargets()
    {
        var scopes = ScopeSet.FromScopes(["read:users!group=course", "access:servers!server=bob/gpu", "users:activity!user"], "carol", null);

        Assert.True(scopes.Allows("read:users", "dan", ["course"]));
        Assert.False(scopes.Allows("read:users", "dan", ["other"]));
        Assert.True(scopes.Allows("access:servers", "bob", [], "gpu"));
        Assert.False(scopes.Allows("access:servers", "bob", [], ""));
        Assert.False(scopes.Allows("access:servers", "bob", []));
        Assert.True(scopes.Allows("users:activity", "carol", []));
        Assert.True(scopes.Allows("read:users:name", "dan", ["course"]));
    }

    [Fact]
    public void IntersectWith_TokenNarrowedToOwner()
    {
        var owner = ScopeSet.ForUser(User("alice"));
        var token = ScopeSet.FromScopes(["read:users", "admin:users", "access:servers!server=alice/"], "alice", owner);

        var effective = token.IntersectWith(owner);

        Assert.True(effective.Allows("read:users", "alice", []));
        Assert.False(effective.Allows("read:users", "bob", []));
        Assert.False(effective.HasAny("admin:users"));
        Assert.True(effective.Allows("access:servers", "alice", [], ""));
        Assert.False(effective.Allows("access:servers", "alice", [], "gpu"));
    }

    [Fact]
    public void Inherit_IsEverythingTheOwnerHas()
    {
        var owner = ScopeSet.ForUser(User("alice"));

        var token = ScopeSet.FromScopes([ScopeCatalog.Inherit], "alice", owner).IntersectWith(owner);

        Assert.Equal(owner.ToList(), token.ToList());
    }

    [Fact]
    public void Covers_WiderAndNarrower()
    {
        var owner = ScopeSet.ForUser(User("alice"));

        Assert.True(owner.Covers(ScopeSet.FromScopes(["read:users!user=alice", "access:servers!server=alice/x"], "alice", owner)));
        Assert.False(owner.Covers(ScopeSet.FromScopes(["read:users"], "alice", owner)));
        Assert.False(owner.Covers(ScopeSet.FromScopes(["read:metrics"], "alice", owner)));
    }

    [Theory]
    [InlineData("read:users", true)]
    [InlineData("read:users!user=a", true)]
    [InlineData("read:users!server=a/b", true)]
    [InlineData("read:users!group=g", true)]
    [InlineData("read:users!group", false)]
    [InlineData("read:users!user=", false)]
    [InlineData("read:users!host=x", false)]
    [InlineData("rule:the-world", false)]
    [InlineData("", false)]
    public void TryParse_KnownScopesAndFilters(string text, bool valid)
    {
        Assert.Equal(valid, Scope.TryParse(text, out _, out string problem));
        Assert.Equal(valid, problem.Length == 0);
    }
}
