using System.Text;
using Hub.Gateway.Forwarding.Http1;

namespace Hub.Gateway.Tests.Forwarding;

/// <summary>How a response head decides the body's framing and whether the connection can be reused.</summary>
public sealed class Http1ResponseHeadTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false, "ContentLength", 5, true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n", false, "ContentLength", 5, true)]
    [InlineData("HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n", false, "Chunked", 0, true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", false, "UntilClose", 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive, close\r\n\r\n", false, "ContentLength", 5, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n", false, "ContentLength", 5, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true, "None", 5, true)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", false, "None", 0, true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", false, "None", 99, true)]
    [InlineData("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n", false, "None", 0, true)]
    [InlineData("HTTP/1.1 200\r\nContent-Length:0\r\n\r\n", false, "ContentLength", 0, true)]
    public void CompleteHead_FramingAndReuse(string head, bool bodiless, string framing, long length, bool keepAlive)
    {
        var parsed = new Http1ResponseHead();

        int consumed = parsed.TryParse(Encoding.Latin1.GetBytes(head + "body bytes"), bodiless);

        Assert.Equal(head.Length, consumed);
        Assert.Equal(framing, parsed.Framing.ToString());
        Assert.Equal(length, parsed.ContentLength);
        Assert.Equal(keepAlive, parsed.KeepAlive);
    }

    [Fact]
    public void HeadersKeptInOrderWithValuesTrimmed()
    {
        var parsed = new Http1ResponseHead();

        parsed.TryParse("HTTP/1.1 404 Not Found\r\nset-cookie:  a=1 \r\nX-Custom:\tv\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n"u8, bodiless: false);

        Assert.Equal(404, parsed.StatusCode);
        Assert.Equal(["Set-Cookie: a=1", "X-Custom: v", "Set-Cookie: b=2", "Content-Length: 0"], parsed.Headers.Select(h => $"{h.Key}: {h.Value}"));
    }

    [Fact]
    public void NextHeadOnTheConnection_ReusesUnchangedStringsAndReadsChangedOnes()
    {
        var parsed = new Http1ResponseHead();
        parsed.TryParse("HTTP/1.1 200 OK\r\nX-Custom: same\r\nDate: Mon\r\nx-other: 1\r\nContent-Length: 0\r\n\r\n"u8, bodiless: false);
        var first = parsed.Headers.ToList();

        parsed.TryParse("HTTP/1.1 200 OK\r\nX-Custom: same\r\nDate: Tue\r\nX-Other: 1\r\nContent-Length: 7\r\nX-New: n\r\n\r\n"u8, bodiless: false);

        Assert.Equal(["X-Custom: same", "Date: Tue", "X-Other: 1", "Content-Length: 7", "X-New: n"], parsed.Headers.Select(h => $"{h.Key}: {h.Value}"));
        Assert.Same(first[0].Key, parsed.Headers[0].Key);
        Assert.Same(first[0].Value, parsed.Headers[0].Value);
        Assert.Same(first[1].Key, parsed.Headers[1].Key);
        Assert.Equal(7, parsed.ContentLength);

        // A head with fewer headers, in another order: nothing of the earlier ones leaks in.
        parsed.TryParse("HTTP/1.1 304 Not Modified\r\nDate: Tue\r\n\r\n"u8, bodiless: false);

        Assert.Equal(["Date: Tue"], parsed.Headers.Select(h => $"{h.Key}: {h.Value}"));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("")]
    public void IncompleteHead_NothingConsumed(string head)
    {
        Assert.Equal(0, new Http1ResponseHead().TryParse(Encoding.Latin1.GetBytes(head), bodiless: false));
    }

    [Theory]
    [InlineData("\r\nHTTP/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n: no name\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 600 Odd\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    public void InvalidHead_Refused(string head)
    {
        Assert.Throws<Http1ProtocolException>(() => new Http1ResponseHead().TryParse(Encoding.Latin1.GetBytes(head), bodiless: false));
    }
}
