using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Core.Tests.Spawning;

public sealed class ResourceNamesTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("student-42")]
    [InlineData("a")]
    public void ForUser_AlreadyValidName_IsKept(string user)
    {
        Assert.Equal(user, ResourceNames.ForUser(user));
    }

    private static readonly string[] AwkwardNames =
    [
        "alice@example.org", "a.b", "a_b", "a b", "a--b", "-a", "a-", "é", "e", "名前", "🎓", "it's", "a/b", "100%",
        new string('x', 64), new string('x', 63), new string('x', 200) + "y", new string('x', 200) + "z",
        "bob-0123456789ab", "Bob", "x-deadbeefcafe",
    ];

    [Fact]
    public void ForUser_DifferentNames_NeverShareAResource()
    {
        var names = AwkwardNames.ToList();

        var slugs = names.Select(n => ResourceNames.ForUser(n)).ToList();
        var prefixed = names.Select(n => ResourceNames.Prefixed("hub", n)).ToList();

        Assert.Equal(names.Count, slugs.Distinct().Count());
        Assert.Equal(names.Count, prefixed.Distinct().Count());
        Assert.All(slugs.Concat(prefixed), slug => Assert.True(ResourceNames.IsValid(slug), $"'{slug}' is not a valid resource name"));
    }

    [Fact]
    public void ForUser_NameThatLooksHashed_IsHashedItself()
    {
        // A kept name ending like a hash could collide with another user's hashed name.
        string lookalike = "x-" + ResourceNames.ForUser("X!")[^12..];

        Assert.NotEqual(lookalike, ResourceNames.ForUser(lookalike));
        Assert.NotEqual(ResourceNames.ForUser("X!"), ResourceNames.ForUser(lookalike));
    }

    [Fact]
    public void ForUser_LossyName_KeepsAReadablePart()
    {
        Assert.StartsWith("alice-example-org-", ResourceNames.ForUser("alice@example.org"), StringComparison.Ordinal);
        Assert.StartsWith("jose-", ResourceNames.ForUser("josé"), StringComparison.Ordinal);
    }

    [Fact]
    public void ForServer_NamedServers_DifferFromDefaultServersAndEachOther()
    {
        var keys = new[] { new ServerKey("a-b", ""), new ServerKey("a", "b"), new ServerKey("a", "b-"), new ServerKey("a-b", "c"), new ServerKey("a", "b-c") };

        var slugs = keys.Select(k => ResourceNames.ForServer(k)).ToList();

        Assert.Equal(keys.Length, slugs.Distinct().Count());
        Assert.Equal("a-b", slugs[0]);
    }

    [Theory]
    [InlineData("hub", true)]
    [InlineData("h1", true)]
    [InlineData("1hub", false)]
    [InlineData("Hub", false)]
    [InlineData("hub-x", false)]
    [InlineData("abcdefghijklmnopqrstu", false)]
    public void IsValidPrefix_LetterThenLettersOrDigits(string prefix, bool valid)
    {
        Assert.Equal(valid, ResourceNames.IsValidPrefix(prefix));
    }

    [Theory]
    [InlineData("alice", "", "/user/alice/")]
    [InlineData("alice@example.org", "", "/user/alice@example.org/")]
    [InlineData("a b/c", "", "/user/a%20b%2Fc/")]
    [InlineData("josé", "lab 2", "/user/jos%C3%A9/lab%202/")]
    [InlineData("~x_y-z.1", "", "/user/~x_y-z.1/")]
    [InlineData("o'neil!(*)", "", "/user/o%27neil%21%28%2A%29/")]
    [InlineData("a%2Fb", "", "/user/a%252Fb/")]
    [InlineData("😀", "", "/user/%F0%9F%98%80/")]
    public void BasePath_EscapesAsJupyterHub(string user, string server, string expected)
    {
        Assert.Equal(expected, ServerUrls.BasePath(new ServerKey(user, server)));
        Assert.Equal(expected, ServerUrls.BasePath(user, server));
    }

    [Fact]
    public void HubPaths_UseTheSameEscaping()
    {
        Assert.Equal("/hub/api/users/ada@example.org/server/progress", ServerUrls.ProgressPath("ada@example.org", ""));
        Assert.Equal("/hub/api/users/a%2Fb/servers/lab%202/progress", ServerUrls.ProgressPath("a/b", "lab 2"));
        Assert.Equal("/hub/spawn-pending/ada@example.org", ServerUrls.SpawnPendingPath("ada@example.org", ""));
        Assert.Equal("/hub/spawn-pending/a%2Fb/lab%202", ServerUrls.SpawnPendingPath("a/b", "lab 2"));
        Assert.Equal("/hub/user/zo%C3%AB/", ServerUrls.HubUserPath("zoë"));
    }

    [Theory]
    [InlineData("ada@example.org", "ada@example.org", true)]
    [InlineData("ada%40example.org", "ada@example.org", false)]
    [InlineData("zo%C3%AB", "zoë", true)]
    [InlineData("zo%c3%ab", "zoë", false)]
    [InlineData("zoë", "zoë", false)]
    [InlineData("alice", "bob", false)]
    public void IsEscapedAs_OnlyTheCanonicalForm(string raw, string name, bool expected)
    {
        Assert.Equal(expected, ServerUrls.IsEscapedAs(raw, name));
    }
}
