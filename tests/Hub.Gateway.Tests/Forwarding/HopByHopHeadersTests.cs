using Hub.Gateway.Forwarding;

namespace Hub.Gateway.Tests.Forwarding;

public sealed class HopByHopHeadersTests
{
    [Theory]
    [InlineData("close", null)]
    [InlineData("keep-alive, Upgrade", null)]
    [InlineData("close, X-Hop", "X-Hop")]
    [InlineData(" X-One ,x-two,, close", "X-One|x-two")]
    public void ListedIn_NamesBeyondTheFixedOnes(string connection, string? expected)
    {
        var listed = HopByHopHeaders.ListedIn([connection]);

        Assert.Equal(expected, listed is null ? null : string.Join('|', listed.Order(StringComparer.Ordinal)));
    }
}
