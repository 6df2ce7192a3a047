using Hub.Gateway.Forwarding;

namespace Hub.Gateway.Tests.Forwarding;

public sealed class HubCookieFilterTests
{
    [Theory]
    [InlineData("hub-session=s; theme=dark; _xsrf=x", "theme=dark; _xsrf=x")]
    [InlineData("hub-session=s", null)]
    [InlineData("theme=dark; my-hub-session=1", "theme=dark; my-hub-session=1")]
    [InlineData("theme=dark;hub-session=s;  lang=en ;", "theme=dark; lang=en")]
    [InlineData(" ; hub-session=s ; _xsrf=x; ", "_xsrf=x")]
    [InlineData("a=1; hub-session = s; b=2", "a=1; b=2")]
    [InlineData("hub-session-extra=1; hub-session=s; flag", "hub-session-extra=1; flag")]
    public void WithoutHubCookies_RemovesExactlyTheSession(string header, string? expected) =>
        Assert.Equal(expected, HubCookieFilter.WithoutHubCookies(header));

    [Theory]
    [InlineData("hub-session=x; Path=/", false)]
    [InlineData("hub-session=x", false)]
    [InlineData("_xsrf=x; Path=/hub/", false)]
    [InlineData("_xsrf=x; Path=/user/alice/", true)]
    [InlineData("_xsrf=x", true)]
    [InlineData("_xsrf=x; Path=/", false)]
    [InlineData("_xsrf=x; path=/user/alice/; Path=/hub/", false)]
    [InlineData("hub-session=x; Path=/user/alice/; Path=/", false)]
    [InlineData(" hub-session =x; Path=/user/alice/", false)]
    [InlineData("theme=x; Path=/", true)]
    [InlineData("hub-session-theme=x; Path=/", true)]
    public void MayUserServerSet_NeverTheSessionNorAnXsrfOutsideUser(string setCookie, bool allowed) =>
        Assert.Equal(allowed, HubCookieFilter.MayUserServerSet(setCookie));
}
