using Hub.Core.Store;
using Hub.Gateway.Routing;

namespace Hub.Gateway.Tests.Routing;

public sealed class UserPathTests
{
    [Theory]
    [InlineData("/user/alice/", "alice", null, "/")]
    [InlineData("/user/alice", "alice", null, "")]
    [InlineData("/user/alice?x=1", "alice", null, "?x=1")]
    [InlineData("/user/alice/lab/tree?x=%2F", "alice", "lab", "/lab/tree?x=%2F")]
    [InlineData("/user/a%2Fb%23c%3Fd%25e/gpu/", "a/b#c?d%e", "gpu", "/gpu/")]
    [InlineData("/user/a%252F/", "a%2F", null, "/")]
    public void TryParse_RawTarget_DecodesTheNameOnce(string raw, string user, string? next, string rest)
    {
        Assert.True(UserPath.TryParse(raw, out var path, out _));

        Assert.Equal(user, path.User);
        Assert.Equal(next, path.NextSegment);
        Assert.Equal(rest, path.Rest);
    }

    [Theory]
    [InlineData("/user/a%2Fb%23c/lab?x=1", "/hub/user/a%2Fb%23c/lab?x=1")]
    [InlineData("/user/alice", "/hub/user/alice/")]
    [InlineData("/user/alice?x=1", "/hub/user/alice?x=1")]
    public void HubLocation_KeepsRestAndQuery(string raw, string expected)
    {
        Assert.True(UserPath.TryParse(raw, out var path, out _));

        Assert.Equal(expected, path.HubLocation);
    }

    [Theory]
    [InlineData("/user/ada%40example.org/api/status?x=%40", "ada@example.org", "", "/user/ada@example.org/api/status?x=%40")]
    [InlineData("/user/ada%40example.org", "ada@example.org", "", "/user/ada@example.org")]
    [InlineData("/user/ada%40example.org?x=1", "ada@example.org", "", "/user/ada@example.org?x=1")]
    [InlineData("/user/zo%c3%ab/tree", "zoë", "", "/user/zo%C3%AB/tree")]
    [InlineData("/user/zoë/tree", "zoë", "", "/user/zo%C3%AB/tree")]
    [InlineData("/user/o'neil/tree", "o'neil", "", "/user/o%27neil/tree")]
    [InlineData("/user/ada%40x/lab%20%32/api", "ada@x", "lab 2", "/user/ada@x/lab%202/api")]
    [InlineData("/user/ada/lab%20%32?x", "ada", "lab 2", "/user/ada/lab%202?x")]
    public void CanonicalTarget_EscapesNamesAsTheServerWasStarted(string raw, string user, string server, string expected)
    {
        Assert.True(UserPath.TryParse(raw, out var path, out _));

        Assert.Equal(expected, path.CanonicalTarget(new ServerKey(user, server)));
    }

    [Theory]
    [InlineData("/user/ada@example.org/api/status", "ada@example.org", "")]
    [InlineData("/user/a%2Fb/tree", "a/b", "")]
    [InlineData("/user/zo%C3%AB/", "zoë", "")]
    [InlineData("/user/ada/lab%202/tree", "ada", "lab 2")]
    [InlineData("/user/ada/lab/tree", "ada", "")]
    public void CanonicalTarget_AlreadyCanonical_IsNull(string raw, string user, string server)
    {
        Assert.True(UserPath.TryParse(raw, out var path, out _));

        Assert.Null(path.CanonicalTarget(new ServerKey(user, server)));
    }

    [Theory]
    [InlineData("/user/")]
    [InlineData("/user//x")]
    [InlineData("/user/alice/../bob/")]
    [InlineData("/user/alice/%2E/x")]
    [InlineData("/user/alice/.%2e")]
    [InlineData("/user/alice/x/.")]
    [InlineData("/users/alice/")]
    public void TryParse_NoNameOrDotSegments_Fails(string raw)
    {
        Assert.False(UserPath.TryParse(raw, out _, out string problem));
        Assert.NotEmpty(problem);
    }

    [Theory]
    [InlineData("/user/alice/...")]
    [InlineData("/user/alice/.x/%2E%2E%2E")]
    [InlineData("/user/alice/%2e%2ex")]
    public void TryParse_DotsThatAreNotDotSegments_Succeeds(string raw) =>
        Assert.True(UserPath.TryParse(raw, out _, out _));
}
