using Azure;
using Azure.Core;
using Hub.Azure.Store;
using Hub.Azure.Tables;
using Hub.Azure.Tests.Stubs;
using Hub.Core.Store;

namespace Hub.Azure.Tests.Store;

/// <summary>
/// The store over Azure.Data.Tables, against responses Azurite does not produce (throttling, server errors,
/// malformed bodies, missing tables, paging quirks), from a stub transport in the client's options.
/// </summary>
public sealed class TableStoreFaultTests
{
    private const string UserJson =
        """{"odata.etag":"W/\"datetime'2026-11-22T09%3A00%3A00Z'\"","PartitionKey":"ada","RowKey":"","Name":"ada","Admin":true,"Created@odata.type":"Edm.DateTime","Created":"2026-11-22T09:00:00.0000000Z"}""";

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static TableServiceConnection Connection(StubTransport transport) =>
        TableServiceConnection.FromConnectionString("UseDevelopmentStorage=true", options =>
        {
            options.Transport = transport;
            options.Retry.Delay = TimeSpan.FromMilliseconds(1);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        });

    private static TableHubStore Store(StubTransport transport) => new(Connection(transport), "hub");

    private static StubResponse Error(int status, string code) =>
        StubResponse.Json(status, "{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"from the stub\"}}}", ("x-ms-error-code", code));

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(429)]
    public async Task Get_TransientStatusThenSuccess_IsRetried(int status)
    {
        var transport = new StubTransport(
            _ => StubResponse.Json(status, """{"odata.error":{"code":"ServerBusy","message":{"value":"busy"}}}""", ("Retry-After", "0")),
            _ => StubResponse.Json(200, UserJson));

        var user = await Store(transport).Users.GetAsync("ada");

        Assert.True(user!.Admin);
        Assert.Equal(Now, user.Created);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Get_ServerErrorPersists_ThrowsWithServiceCodeAfterRetries()
    {
        var transport = new StubTransport(_ => Error(500, "InternalError"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Store(transport).Users.GetAsync("ada"));

        Assert.Equal(500, error.Status);
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal(5, transport.Requests.Count);
    }

    [Fact]
    public async Task Get_MalformedJson_ThrowsRequestFailedNotJsonException()
    {
        var transport = new StubTransport(_ => StubResponse.Json(200, "{\"PartitionKey\": \"ada\", "));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Store(transport).Users.GetAsync("ada"));

        Assert.Equal(TableResponses.MalformedResponse, error.ErrorCode);
        Assert.Equal(200, error.Status);
    }

    [Fact]
    public async Task List_MalformedPage_ThrowsRequestFailedNotJsonException()
    {
        var transport = new StubTransport(_ => StubResponse.Json(200, "{\"value\":[" + UserJson));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Store(transport).Users.ListAsync().ToListAsync().AsTask());

        Assert.Equal(TableResponses.MalformedResponse, error.ErrorCode);
    }

    [Fact]
    public async Task Get_TableMissing_ThrowsInsteadOfNotFound()
    {
        var transport = new StubTransport(_ => Error(404, "TableNotFound"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Store(transport).Users.GetAsync("ada"));

        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Delete_TableMissing_ThrowsInsteadOfNotFound()
    {
        var transport = new StubTransport(_ => Error(404, "TableNotFound"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Store(transport).Users.DeleteAsync("ada"));

        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Writes_ExpectedRefusals_AreValues()
    {
        var transport = new StubTransport(
            _ => Error(409, "EntityAlreadyExists"),
            _ => Error(412, "UpdateConditionNotSatisfied"),
            _ => Error(404, "ResourceNotFound"),
            _ => Error(412, "UpdateConditionNotSatisfied"),
            _ => Error(404, "ResourceNotFound"));
        var store = Store(transport);
        var user = new UserRecord { Name = "ada", Created = Now, Version = "W/\"datetime'2026-11-22T09%3A00%3A00Z'\"" };

        Assert.Equal(StoreWriteStatus.AlreadyExists, (await store.Users.CreateAsync(user)).Status);
        Assert.Equal(StoreWriteStatus.Changed, (await store.Users.ReplaceAsync(user)).Status);
        Assert.Equal(StoreWriteStatus.NotFound, (await store.Users.ReplaceAsync(user)).Status);
        Assert.Equal(StoreWriteStatus.Changed, await store.Users.DeleteAsync("ada", user.Version));
        Assert.Equal(StoreWriteStatus.NotFound, await store.Users.DeleteAsync("ada", user.Version));
        Assert.All(transport.Requests.Skip(1), r => Assert.Equal(user.Version, r.Headers["If-Match"]));
    }

    [Fact]
    public async Task Create_ErrorBodyNotJson_ThrowsWithStatus()
    {
        var transport = new StubTransport(_ => new StubResponse(400, "<html>proxy error</html>", ("Content-Type", "text/html")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Store(transport).Users.CreateAsync(new UserRecord { Name = "ada", Created = Now }));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task Create_ErrorCodeOnlyInHeader_IsCarried()
    {
        var transport = new StubTransport(_ => new StubResponse(403, null, ("x-ms-error-code", "AuthorizationPermissionMismatch")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Store(transport).Users.CreateAsync(new UserRecord { Name = "ada", Created = Now }));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationPermissionMismatch", error.ErrorCode);
    }

    [Fact]
    public async Task List_EmptyPageWithContinuation_KeepsReading()
    {
        var transport = new StubTransport(
            _ => StubResponse.Json(200, """{"value":[]}""", ("x-ms-continuation-NextPartitionKey", "1!8!cA--"), ("x-ms-continuation-NextRowKey", "1!4!cg--")),
            _ => StubResponse.Json(200, "{\"value\":[" + UserJson + "]}"));

        var users = await Store(transport).Users.ListAsync().ToListAsync();

        Assert.Equal("ada", Assert.Single(users).Name);
        string query = Uri.UnescapeDataString(transport.Requests[1].Uri.Query);
        Assert.Contains("NextPartitionKey=1!8!cA--", query, StringComparison.Ordinal);
        Assert.Contains("NextRowKey=1!4!cg--", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_FromConnectionString_CarryVersionAndSharedKey()
    {
        var transport = new StubTransport(_ => StubResponse.Json(200, UserJson));

        await Store(transport).Users.GetAsync("ada");

        var headers = transport.Requests[0].Headers;
        Assert.False(string.IsNullOrEmpty(headers["x-ms-version"]));
        Assert.StartsWith("SharedKey", headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains(" devstoreaccount1:", headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_FromEndpointAndCredential_SendTokenForStorageScope()
    {
        var credential = new RecordingCredential();
        var transport = new StubTransport(_ => StubResponse.Json(200, UserJson));
        var connection = TableServiceConnection.FromEndpoint(new Uri("https://account.table.core.windows.net"), credential, options => options.Transport = transport);

        await new TableHubStore(connection, "hub").Users.GetAsync("ada");

        Assert.Equal("Bearer token-for-test", transport.Requests[0].Headers["Authorization"]);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        Assert.StartsWith("https://account.table.core.windows.net/hubusers(PartitionKey='ada',RowKey='')", Uri.UnescapeDataString(transport.Requests[0].Uri.AbsoluteUri), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_ServerBusy_IsReportedWithoutRetrying()
    {
        var transport = new StubTransport(_ => Error(503, "ServerBusy"));

        var health = await Store(transport).CheckHealthAsync();

        Assert.False(health.Reachable);
        Assert.Contains("503 ServerBusy", health.Description, StringComparison.Ordinal);
        Assert.Single(transport.Requests);
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
