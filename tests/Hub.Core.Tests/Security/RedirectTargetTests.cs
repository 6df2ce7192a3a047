using Hub.Core.Security;

namespace Hub.Core.Tests.Security;

/// <summary>Open-redirect forms from JupyterHub's advisories (GHSA-3vff-hjqv-m7h8, CVE-2019-10255) and its page tests.</summary>
public sealed class RedirectTargetTests
{
    private static readonly Uri Hub = new("https://hub.example.edu");

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("http://hub.example.edu/hub/home")]
    [InlineData("//evil.example/")]
    [InlineData("///evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\/evil.example/")]
    [InlineData("\\\\evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData(" //evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("%2f%2fevil.example")]
    [InlineData("https://hub.example.edu//evil.example/")]
    [InlineData("https://hub.example.edu/\\evil.example/")]
    [InlineData("https://user@hub.example.edu/hub/")]
    [InlineData("https://hub.example.edu.evil.example/")]
    [InlineData("https:evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("hub/home")]
    [InlineData("")]
    public void Sanitize_OffSiteOrAmbiguous_Refused(string next)
    {
        Assert.Null(RedirectTarget.Sanitize(next, Hub));
    }

    [Theory]
    [InlineData("/hub/home", "/hub/home")]
    [InlineData("/user/alice/lab?reset", "/user/alice/lab?reset")]
    [InlineData("/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fx", "/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fx")]
    [InlineData("https://hub.example.edu/user/bob/tree", "/user/bob/tree")]
    [InlineData("/user/josé/", "/user/jos%C3%A9/")]
    [InlineData("/%2F%2Fevil.example", "/%2F%2Fevil.example")]
    public void Sanitize_SameOriginPath_KeptAsPath(string next, string expected)
    {
        Assert.Equal(expected, RedirectTarget.Sanitize(next, Hub));
    }

    [Fact]
    public void Sanitize_TooLong_Refused()
    {
        Assert.Null(RedirectTarget.Sanitize("/" + new string('a', RedirectTarget.MaxLength), Hub));
    }
}
