using Hub.Core.Security;

namespace Hub.Core.Tests.Security;

public sealed class XsrfTokensTests
{
    private static readonly XsrfTokens Tokens = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Verify_MatchingAndBound_Accepted()
    {
        string token = Tokens.Issue("session-a");

        Assert.True(Tokens.Verify(token, token, "session-a"));
    }

    [Fact]
    public void Verify_TokenOfAnotherSession_Refused()
    {
        // Cookie tossing: a validly signed token planted from another login is still refused.
        string planted = Tokens.Issue("attacker-session");

        Assert.False(Tokens.Verify(planted, planted, "victim-session"));
        Assert.False(Tokens.Verify(planted, planted, null));
    }

    [Fact]
    public void Verify_MismatchMissingOrForged_Refused()
    {
        string token = Tokens.Issue(null);

        Assert.False(Tokens.Verify(token, Tokens.Issue(null), null));
        Assert.False(Tokens.Verify(token, null, null));
        Assert.False(Tokens.Verify(null, token, null));
        Assert.False(Tokens.Verify("abc.def", "abc.def", null));
        Assert.False(new XsrfTokens(new byte[32]).IsBoundTo(token, null));
    }
}
