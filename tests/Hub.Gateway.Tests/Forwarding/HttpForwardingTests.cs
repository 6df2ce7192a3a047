using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Core.Security;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Forwarding;

[Collection(AzuriteCollection.Name)]
public sealed class HttpForwardingTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HubPath_AnyRequest_ForwardedUnchangedWithForwardedHeadersAndWithoutHopByHopHeaders()
    {
        using var client = Gateway.CreateClient(AliceSession, "_xsrf=abc");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hub/api/users/a%2Fb?x=%3F&y=1")
        {
            Content = JsonContent.Create(new { hello = "world" }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "token user-token");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/forged");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.9");
        request.Headers.TryAddWithoutValidation(ClientAddressHeader.Name, "203.0.113.9 forged");

        var echo = await EchoOf(await client.SendAsync(request));

        Assert.Equal("127.0.0.1", new ClientAddressHeader(Gateway.SecretKey).Verify(echo.Headers[ClientAddressHeader.Name])?.ToString());
        Assert.Equal("POST", echo.Method);
        Assert.Equal("/hub/api/users/a%2Fb?x=%3F&y=1", echo.RawTarget);
        Assert.Equal("token user-token", echo.Headers["Authorization"]);
        Assert.Contains($"{HubCookies.Session}={AliceSession}", echo.Headers["Cookie"], StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", echo.Headers["X-Forwarded-For"]);
        Assert.Equal("http", echo.Headers["X-Forwarded-Proto"]);
        Assert.Equal(Gateway.Address.Authority, echo.Headers["X-Forwarded-Host"]);
        Assert.DoesNotContain(echo.Headers.Keys, name => name.Equals("X-Forwarded-Prefix", StringComparison.OrdinalIgnoreCase) || name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Backend.Address.Authority, echo.Headers["Host"]);
        Assert.True(echo.BodyLength > 0);
    }

    [Fact]
    public async Task HubPath_TrustedIngress_ForwardedHeadersKeptAndPeerAppended()
    {
        await using var gateway = await RunningGateway.StartAsync(Azurite, Backend.Address, new Dictionary<string, string?> { ["Gateway:TrustForwardedHeaders"] = "true" });
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hub/home");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "hub.example.org");

        var echo = await EchoOf(await client.SendAsync(request));

        Assert.Equal("203.0.113.9, 127.0.0.1", echo.Headers["X-Forwarded-For"]);
        Assert.Equal("203.0.113.9", new ClientAddressHeader(gateway.SecretKey).Verify(echo.Headers[ClientAddressHeader.Name])?.ToString());
        Assert.Equal("https", echo.Headers["X-Forwarded-Proto"]);
        Assert.Equal("hub.example.org", echo.Headers["X-Forwarded-Host"]);
    }

    [Theory]
    [InlineData("/hub/../reconcile")]
    [InlineData("/hub/%2e%2e/cull-idle")]
    [InlineData("/hub/.%2e/prewarm")]
    [InlineData("/hub/api/./users")]
    [InlineData("/hub/%2E%2E/%2E%2E/reconcile?x=1")]
    public async Task HubPath_DotSegments_RefusedBeforeTheControlPlaneSeesThem(string path)
    {
        int before = Backend.Requests.Count;

        string response = await RawHttp.SendAsync(Gateway.Address, $$"""
            POST {{path}} HTTP/1.1
            Host: {{Gateway.Address.Authority}}
            Content-Type: application/json
            Content-Length: 2
            Connection: close

            {}
            """);

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("bad-path", response, StringComparison.Ordinal);
        Assert.Equal(before, Backend.Requests.Count);
    }

    [Theory]
    [InlineData("/hub/api/users")]
    [InlineData("/user/alice/upload")]
    public async Task MalformedChunkedBody_Is400(string path)
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);

        string response = await RawHttp.SendAsync(Gateway.Address, $$"""
            POST {{path}} HTTP/1.1
            Host: {{Gateway.Address.Authority}}
            Cookie: {{HubCookies.Session}}={{AliceSession}}
            Content-Type: application/octet-stream
            Transfer-Encoding: chunked
            Connection: close

            zz
            hello
            0


            """);

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubPath_HopByHopHeaders_AreNotForwarded()
    {
        string response = await RawHttp.SendAsync(Gateway.Address, $"""
            GET /hub/api/ HTTP/1.1
            Host: {Gateway.Address.Authority}
            Connection: close
            Keep-Alive: timeout=5
            Proxy-Authorization: Basic c2VjcmV0
            Proxy-Connection: keep-alive
            TE: trailers
            Upgrade: h2c
            X-Kept: yes


            """);

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("\"X-Kept\":\"yes\"", response, StringComparison.Ordinal);
        foreach (var hopByHop in new[] { "Keep-Alive", "Proxy-Authorization", "Proxy-Connection", "\"TE\"", "Upgrade" })
        {
            Assert.DoesNotContain(hopByHop, response, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task UserPath_ResponseHeadersListedInConnection_AreNotPassedOn()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession);

        var response = await client.GetAsync("/user/alice/connection-listed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["kept"], response.Headers.GetValues("X-End-To-End"));
        Assert.False(response.Headers.Contains("X-Hop-Response"));
    }

    [Fact]
    public async Task UserPath_OwnerSession_ForwardedWithServerTokenAndWithoutTheSession()
    {
        var route = await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession, $"theme=dark; {HubCookies.Xsrf}=hub-xsrf");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/user/alice/api/contents?type=directory");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer something-else");
        request.Headers.TryAddWithoutValidation(ClientAddressHeader.Name, "203.0.113.9 forged");

        var echo = await EchoOf(await client.SendAsync(request));

        Assert.False(echo.Headers.ContainsKey(ClientAddressHeader.Name), "a user server got the hub's client-address header");
        Assert.Equal("/user/alice/api/contents?type=directory", echo.RawTarget);
        Assert.Equal("token " + Gateway.ServerTokenOf(route), echo.Headers["Authorization"]);
        Assert.Equal("theme=dark; _xsrf=hub-xsrf", echo.Headers["Cookie"]);
        Assert.Equal(Gateway.Address.Authority, echo.Headers["Host"]);
    }

    [Fact]
    public async Task UserPath_UserServerSetsHubCookies_NoneWhateverTheirPathPasses()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession);

        var response = await client.GetAsync("/user/alice/set-cookies");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Equal(["_xsrf=own; Path=/user/alice/", "theme=dark; Path=/"], cookies);
    }

    [Fact]
    public async Task UserPath_HubAwareServer_GetsTheVisitorsCredentialsAndItsOwnCookiesButNoInjectedToken()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address, hubAware: true);
        using var client = Gateway.CreateClient(AliceSession, "jupyterhub-user-alice=oauth; _xsrf=servers-own");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/user/alice/api/contents");
        request.Headers.TryAddWithoutValidation("Authorization", "token visitors-own");

        var echo = await EchoOf(await client.SendAsync(request));

        Assert.Equal("token visitors-own", echo.Headers["Authorization"]);
        Assert.Equal("jupyterhub-user-alice=oauth; _xsrf=servers-own", echo.Headers["Cookie"]);
    }

    [Fact]
    public async Task UserPath_100MegabyteUpload_BackendReadsBeforeTheClientHasSentEverything()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession);
        // The client holds back everything after the first 2 MB until the backend has seen 1 MB: a buffering gateway deadlocks here.
        var body = new GatedContent(100L * 1024 * 1024, 2L * 1024 * 1024, Backend.UploadStarted.Task, Patience);

        var response = await client.PostAsync("/user/alice/upload", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upload = (await response.Content.ReadFromJsonAsync<TestBackend.UploadResponse>())!;
        Assert.Equal(body.Length, upload.Total);
        Assert.Equal(body.Sha256, upload.Sha256);
    }

    [Fact]
    public async Task UserPath_100MegabyteDownload_ClientReadsBeforeTheBackendHasSentEverything()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession);
        long size = 100L * 1024 * 1024;

        using var response = await client.GetAsync($"/user/alice/download?size={size}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[TestBackend.Chunk];
        long total = 0;
        var expected = new byte[TestBackend.Chunk];
        int read;
        // The backend sends the rest only after the client has the first chunk: a buffering gateway deadlocks here.
        while (total < TestBackend.Chunk && (read = await body.ReadAsync(buffer.AsMemory(0, TestBackend.Chunk - (int)total))) > 0)
        {
            total += read;
        }
        Backend.DownloadGate.TrySetResult();
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            TestBackend.Fill(expected.AsSpan(0, read), total);
            Assert.True(buffer.AsSpan(0, read).SequenceEqual(expected.AsSpan(0, read)), $"wrong bytes at offset {total}");
            total += read;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size, response.Content.Headers.ContentLength);
        Assert.Equal(size, total);
    }

    [Fact]
    public async Task UserPath_ServerSentEvents_EachEventArrivesBeforeTheNextIsSent()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession);

        using var response = await client.GetAsync("/user/alice/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? first = await reader.ReadLineAsync().WaitAsync(Patience);
        Backend.EventGate.TrySetResult();
        string rest = await reader.ReadToEndAsync().WaitAsync(Patience);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("data: one", first);
        Assert.Contains("data: two", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserPath_ClientGoesAway_BackendRequestIsAborted()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession);

        using (var response = await client.GetAsync("/user/alice/hang", HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal("data: waiting", await reader.ReadLineAsync().WaitAsync(Patience));
        }
        client.Dispose();

        await Backend.HangAborted.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task UserPath_Http2Client_IsForwarded()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient(AliceSession);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway.Http2Address, "/user/alice/lab"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("/user/alice/lab", (await EchoOf(response)).RawTarget);
    }

    [Fact]
    public async Task UserPath_BackendNotListening_Is502Problem()
    {
        await Gateway.AddRouteAsync("alice", new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        using var client = Gateway.CreateClient(AliceSession);

        var response = await client.GetAsync("/user/alice/api/status");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:serverless-hub:gateway:backend-unreachable", problem.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task HubPath_ControlPlaneNotListening_Is502PageForBrowsers()
    {
        await using var gateway = await RunningGateway.StartAsync(Azurite, new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hub/home");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The hub is not answering", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserPath_BackendTooSlow_Is504()
    {
        await using var gateway = await RunningGateway.StartAsync(Azurite, Backend.Address, new Dictionary<string, string?> { ["Gateway:BackendResponseTimeout"] = "1s" });
        await gateway.AddUserAsync("alice");
        await gateway.AddRouteAsync("alice", Backend.Address);
        using var client = gateway.CreateClient(await gateway.StartSessionAsync("alice"));

        var response = await client.GetAsync("/user/alice/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("timeout", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
