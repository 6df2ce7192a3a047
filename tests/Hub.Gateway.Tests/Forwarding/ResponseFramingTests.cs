using System.Net;
using System.Text.Json;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Forwarding;

/// <summary>
/// Forwarding against a backend that sends exactly the bytes a test scripts: every framing, connection reuse, and the
/// responses the gateway must refuse to pass on.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResponseFramingTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    private async Task<HttpClient> RouteAliceToAsync(ScriptedBackend backend)
    {
        await Gateway.AddRouteAsync("alice", backend.Address);
        return Gateway.CreateClient(AliceSession);
    }

    [Fact]
    public async Task ChunkedResponse_DecodedTrailersDroppedAndConnectionReused()
    {
        await using var backend = ScriptedBackend.Answering(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: dropped\r\n\r\n");
        using var client = await RouteAliceToAsync(backend);

        var first = await client.GetAsync("/user/alice/files/a.txt?v=1");
        var second = await client.GetAsync("/user/alice/files/b.txt");

        Assert.Equal("hello world", await first.Content.ReadAsStringAsync());
        Assert.Equal("hello world", await second.Content.ReadAsStringAsync());
        Assert.False(first.TrailingHeaders.Contains("X-Trailer"));
        Assert.Equal(1, backend.Connections);
        Assert.StartsWith("GET /user/alice/files/a.txt?v=1 HTTP/1.1\r\n", backend.RequestHeads.First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseWithoutLength_ReadUntilCloseAndConnectionNotReused()
    {
        await using var backend = ScriptedBackend.AnsweringThenClosing("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        using var client = await RouteAliceToAsync(backend);

        Assert.Equal("until the end", await client.GetStringAsync("/user/alice/one"));
        Assert.Equal("until the end", await client.GetStringAsync("/user/alice/two"));
        Assert.Equal(2, backend.Connections);
    }

    [Theory]
    [InlineData("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 200)]
    [InlineData("GET", "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", 204)]
    [InlineData("GET", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n", 304)]
    public async Task ResponseWithoutBody_NothingReadAfterTheHeadAndConnectionReused(string method, string response, int status)
    {
        await using var backend = ScriptedBackend.Start(exchange => exchange.SendAsync(
            exchange.Request == 1 ? response : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext"));
        using var client = await RouteAliceToAsync(backend);

        using var first = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/user/alice/x"));
        string next = await client.GetStringAsync("/user/alice/y");

        Assert.Equal(status, (int)first.StatusCode);
        Assert.Equal("next", next);
        Assert.Equal(1, backend.Connections);
    }

    [Fact]
    public async Task InformationalResponses_SkippedAndTheFinalOnePassedOn()
    {
        await using var backend = ScriptedBackend.Answering(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        using var client = await RouteAliceToAsync(backend);

        var response = await client.GetAsync("/user/alice/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n Folded: value\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Name: caf\u00e9\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")]
    [InlineData("HTTP/2 200\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok")]
    public async Task InvalidOrAmbiguousResponseHead_Is502InvalidResponse(string response)
    {
        await using var backend = ScriptedBackend.Answering(response);
        using var client = await RouteAliceToAsync(backend);

        var answer = await client.GetAsync("/user/alice/x");

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        using var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal("urn:serverless-hub:gateway:invalid-response", problem.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChunkedResponseWithAContentLengthToo_ReadAsChunkedAndPassedOnWithOneFraming()
    {
        // Transfer-Encoding wins (RFC 9112 §6.3); the client gets the gateway's own framing, never the backend's two.
        await using var backend = ScriptedBackend.Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 20\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        using var client = await RouteAliceToAsync(backend);

        var response = await client.GetAsync("/user/alice/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.NotEqual(20, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task ResponseHeadLargerThan64KiB_Is502InvalidResponse()
    {
        await using var backend = ScriptedBackend.Answering($"HTTP/1.1 200 OK\r\nX-Big: {new string('a', 70 * 1024)}\r\nContent-Length: 2\r\n\r\nok");
        using var client = await RouteAliceToAsync(backend);

        var answer = await client.GetAsync("/user/alice/x");

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.Contains("invalid-response", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PooledConnectionClosedByTheServer_RequestRetriedOnAFreshOne()
    {
        // Keep-alive by every header, then closed anyway, as a server does when its idle timeout passes.
        await using var backend = ScriptedBackend.AnsweringThenClosing("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        using var client = await RouteAliceToAsync(backend);

        Assert.Equal("ok", await client.GetStringAsync("/user/alice/one"));
        Assert.Equal("ok", await client.GetStringAsync("/user/alice/two"));
        Assert.Equal(2, backend.Connections);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello!!\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n\r\n")]
    public async Task BodyCutShortOrMalformed_ClientConnectionAborted(string response)
    {
        await using var backend = ScriptedBackend.AnsweringThenClosing(response);
        using var client = await RouteAliceToAsync(backend);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetByteArrayAsync("/user/alice/x"));
    }

    [Fact]
    public async Task ClientGoesAwayBeforeTheResponseHead_BackendConnectionClosed()
    {
        var received = new TaskCompletionSource();
        var closed = new TaskCompletionSource();
        await using var backend = ScriptedBackend.Start(async exchange =>
        {
            received.SetResult();
            await exchange.WaitForCloseAsync(TimeSpan.FromSeconds(30));
            closed.SetResult();
        });
        using var client = await RouteAliceToAsync(backend);
        using var cancel = new CancellationTokenSource();

        var request = client.GetAsync("/user/alice/x", cancel.Token);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ServerNeverAnswers_Is504WithinTheResponseTimeout()
    {
        await using var gateway = await RunningGateway.StartAsync(Azurite, Backend.Address, new Dictionary<string, string?> { ["Gateway:BackendResponseTimeout"] = "1s" });
        await gateway.AddUserAsync("alice");
        var answered = new TaskCompletionSource();
        await using var backend = ScriptedBackend.Start(_ => answered.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await gateway.AddRouteAsync("alice", backend.Address);
        using var client = gateway.CreateClient(await gateway.StartSessionAsync("alice"));

        var response = await client.GetAsync("/user/alice/x");
        answered.SetResult();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }
}
