using Hub.Core.Auth;
using Hub.Core.Sharing;
using Hub.Core.Store;

namespace Hub.Core.Tests.Sharing;

/// <summary>A share's scopes always carry its server's filter, and nobody shares more than they hold there (JupyterHub's <c>Share._apply_filter</c>).</summary>
public sealed class ShareScopesTests
{
    private static readonly ServerKey Lab = new("alice", "lab");

    [Fact]
    public void NoScopes_GrantAccessToTheServer()
    {
        Assert.True(ShareScopes.TryApply(null, Lab, out var scopes, out _));
        Assert.Equal(["access:servers!server=alice/lab"], scopes);
        Assert.True(ShareScopes.TryApply([], new ServerKey("alice", ""), out var defaults, out _));
        Assert.Equal(["access:servers!server=alice/"], defaults);
    }

    [Fact]
    public void Scopes_GetTheFilter_SortedWithoutRepeats()
    {
        Assert.True(ShareScopes.TryApply(["read:servers", "access:servers!server=alice/lab", "access:servers"], Lab, out var scopes, out _));
        Assert.Equal(["access:servers!server=alice/lab", "read:servers!server=alice/lab"], scopes);
    }

    [Theory]
    [InlineData("access:servers!server=alice/other", "only !server=alice/lab")]
    [InlineData("access:servers!user=alice", "only !server=alice/lab")]
    [InlineData("no-such-scope", "is not a scope")]
    [InlineData("self", "cannot be shared")]
    [InlineData("inherit", "cannot be shared")]
    public void OtherFiltersAndMetaScopes_AreRefused(string scope, string problem)
    {
        Assert.False(ShareScopes.TryApply([scope], Lab, out _, out string message));
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotHeld_NamesTheFirstScopeTheGranterLacksOnTheServer()
    {
        var owner = ScopeSet.ForUser(new UserRecord { Name = "alice", Created = DateTimeOffset.UnixEpoch });
        Assert.True(ShareScopes.TryApply(["access:servers", "servers"], Lab, out var mine, out _));
        Assert.True(ShareScopes.TryApply(["admin:servers"], Lab, out var admins, out _));

        Assert.Null(ShareScopes.NotHeld(owner, mine, Lab, []));
        Assert.Equal("admin:servers!server=alice/lab", ShareScopes.NotHeld(owner, admins, Lab, []));
        Assert.Equal("access:servers!server=bob/", ShareScopes.NotHeld(owner, ShareScopes.Default(new ServerKey("bob", "")), new ServerKey("bob", ""), []));
    }

    [Fact]
    public void SharedScopes_OpenTheSharedServerOnly()
    {
        var ta = new UserRecord { Name = "ta", Created = DateTimeOffset.UnixEpoch };
        var scopes = SharedAccess.ForUser(ta, ShareScopes.Default(Lab));

        Assert.True(scopes.Allows("access:servers", "alice", [], "lab"));
        Assert.False(scopes.Allows("access:servers", "alice", [], ""));
        Assert.False(scopes.Allows("access:servers", "bob", [], "lab"));
        Assert.False(scopes.Allows("servers", "alice", [], "lab"));
        Assert.True(scopes.Allows("access:servers", "ta", [], ""));
    }
}
