using Azure;
using Azure.Core;
using Hub.Azure.Tables;
using Hub.Azure.Tests.Stubs;

namespace Hub.Azure.Tests.Tables;

/// <summary>Responses Azurite does not produce: throttling, server errors and malformed bodies, from a stub transport.</summary>
public sealed class TableClientFaultTests
{
    private const string EntityJson = """{"odata.etag":"W/\"datetime'2026-11-22T00%3A00%3A00Z'\"","PartitionKey":"p","RowKey":"r","Value":7}""";
    private static readonly StorageConnectionString Connection = StorageConnectionString.Parse("UseDevelopmentStorage=true");

    private static TableClient Client(StubTransport transport)
    {
        var options = new TableClientOptions { Transport = transport };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return new TableServiceClient(Connection, options).GetTableClient("users");
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(429)]
    public async Task GetEntity_TransientStatusThenSuccess_IsRetried(int status)
    {
        var transport = new StubTransport(
            _ => StubResponse.Json(status, """{"odata.error":{"code":"ServerBusy","message":{"value":"busy"}}}""", ("Retry-After", "0")),
            _ => StubResponse.Json(200, EntityJson));

        var entity = await Client(transport).GetEntityAsync("p", "r");

        Assert.Equal(7, entity!["Value"]);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task GetEntity_ServerErrorPersists_ThrowsWithServiceCodeAfterRetries()
    {
        var transport = new StubTransport(_ => StubResponse.Json(500, """{"odata.error":{"code":"InternalError","message":{"lang":"en-US","value":"boom"}}}"""));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client(transport).GetEntityAsync("p", "r"));

        Assert.Equal(500, error.Status);
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal(5, transport.Requests.Count);
    }

    [Fact]
    public async Task GetEntity_MalformedJson_ThrowsRequestFailedNotJsonException()
    {
        var transport = new StubTransport(_ => StubResponse.Json(200, "{\"PartitionKey\": \"p\", "));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client(transport).GetEntityAsync("p", "r"));

        Assert.Equal("MalformedResponse", error.ErrorCode);
        Assert.Equal(200, error.Status);
    }

    [Fact]
    public async Task Query_ResponseWithoutValueArray_IsMalformed()
    {
        var transport = new StubTransport(_ => StubResponse.Json(200, """{"odata.metadata":"x"}"""));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client(transport).QueryPageAsync(null, null, 10, null));

        Assert.Equal("MalformedResponse", error.ErrorCode);
    }

    [Fact]
    public async Task Insert_ErrorBodyNotJson_ThrowsWithStatus()
    {
        var transport = new StubTransport(_ => new StubResponse(400, "<html>proxy error</html>", ("Content-Type", "text/html")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client(transport).InsertAsync(new TableEntity("p", "r")));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task Insert_ErrorCodeOnlyInHeader_IsCarried()
    {
        var transport = new StubTransport(_ => new StubResponse(403, null, ("x-ms-error-code", "AuthorizationPermissionMismatch")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client(transport).InsertAsync(new TableEntity("p", "r")));

        Assert.Equal("AuthorizationPermissionMismatch", error.ErrorCode);
    }

    [Fact]
    public async Task Transaction_ResponseNotMultipart_IsMalformed()
    {
        var transport = new StubTransport(_ => new StubResponse(202, "not multipart", ("Content-Type", "text/plain")));
        TableTransactionAction[] actions = [new(TableTransactionActionType.Add, new TableEntity("p", "r"))];

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Client(transport).SubmitTransactionAsync(actions));

        Assert.Equal("MalformedResponse", error.ErrorCode);
    }

    [Fact]
    public async Task Query_EmptyPageWithContinuation_KeepsReading()
    {
        var transport = new StubTransport(
            _ => StubResponse.Json(200, """{"value":[]}""", ("x-ms-continuation-NextPartitionKey", "1!8!cA--"), ("x-ms-continuation-NextRowKey", "1!4!cg--")),
            _ => StubResponse.Json(200, "{\"value\":[" + EntityJson + "]}"));

        var all = await Client(transport).QueryAsync().ToListAsync();

        Assert.Single(all);
        Assert.Contains("NextPartitionKey=1%218%21cA--", transport.Requests[1].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("NextRowKey=1%214%21cg--", transport.Requests[1].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_CarryProtocolHeadersAndSharedKeyLite()
    {
        var transport = new StubTransport(_ => StubResponse.Json(200, EntityJson));

        await Client(transport).GetEntityAsync("p", "r");

        var headers = transport.Requests[0].Headers;
        Assert.Equal("2019-02-02", headers["x-ms-version"]);
        Assert.Equal("3.0", headers["DataServiceVersion"]);
        Assert.Equal("application/json;odata=minimalmetadata", headers["Accept"]);
        Assert.StartsWith("SharedKeyLite devstoreaccount1:", headers["Authorization"], StringComparison.Ordinal);
        Assert.True(headers.ContainsKey("x-ms-date"));
    }

    [Fact]
    public async Task BearerCredential_SendsTokenForStorageScope()
    {
        var credential = new RecordingCredential();
        var transport = new StubTransport(_ => StubResponse.Json(200, EntityJson));
        var options = new TableClientOptions { Transport = transport };
        var table = new TableServiceClient(new Uri("https://account.table.core.windows.net"), credential, options).GetTableClient("users");

        await table.GetEntityAsync("p", "r");

        Assert.Equal("Bearer token-for-test", transport.Requests[0].Headers["Authorization"]);
        Assert.Equal([TableServiceClient.StorageScope], credential.Scopes);
        Assert.Equal("https://account.table.core.windows.net/users(PartitionKey='p',RowKey='r')", Uri.UnescapeDataString(transport.Requests[0].Uri.AbsoluteUri));
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            return new AccessToken("token-for-test", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
