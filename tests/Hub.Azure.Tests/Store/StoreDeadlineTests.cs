using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hub.Azure.Store;
using Hub.Azure.Tables;
using Hub.Azure.Tests.Stubs;
using Hub.Testing;

namespace Hub.Azure.Tests.Store;

/// <summary>A store call within a request's <see cref="StoreDeadline"/> fails by the deadline, however the store misbehaves.</summary>
public sealed class StoreDeadlineTests
{
    [Fact]
    public async Task WithinDeadline_ServerBusyAsksForALongerWait_FailsAtOnceWithoutRetrying()
    {
        var transport = new StubTransport(_ => StubResponse.Json(503, """{"odata.error":{"code":"ServerBusy","message":{"value":"busy"}}}""", ("Retry-After", "30")));
        var store = new TableHubStore(TableServiceConnection.FromConnectionString("UseDevelopmentStorage=true", options => options.Transport = transport), "hub");

        var elapsed = Stopwatch.StartNew();
        Exception error;
        using (StoreDeadline.Begin(TimeSpan.FromSeconds(2)))
        {
            error = await Assert.ThrowsAnyAsync<Exception>(() => store.Users.GetAsync("ada"));
        }

        Assert.Single(transport.Requests);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"took {elapsed.Elapsed}");
        Assert.True(StoreFailures.IsUnavailable(error), error.ToString());
    }

    [Fact]
    public async Task WithinDeadline_EndpointAcceptsButNeverAnswers_FailsByTheDeadline()
    {
        // A listener that accepts connections (the kernel's backlog does) and never answers: a stalled Table endpoint.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/{AzuriteFixture.AccountName}");
        var store = new TableHubStore(TableServiceConnection.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey=AAAA;TableEndpoint={endpoint};"), "hub");

        var elapsed = Stopwatch.StartNew();
        Exception error;
        using (StoreDeadline.Begin(TimeSpan.FromSeconds(1)))
        {
            error = await Assert.ThrowsAnyAsync<Exception>(() => store.Users.GetAsync("ada"));
        }

        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(4), $"took {elapsed.Elapsed}");
        Assert.True(StoreFailures.IsUnavailable(error), error.ToString());
    }

    [Fact]
    public void StoreFailures_BadRequestOrCallerCancelled_IsNotUnavailable()
    {
        Assert.False(StoreFailures.IsUnavailable(new global::Azure.RequestFailedException(400, "bad")));
        Assert.False(StoreFailures.IsUnavailable(new OperationCanceledException(), callerCancelled: true));
        Assert.True(StoreFailures.IsUnavailable(new global::Azure.RequestFailedException(503, "busy")));
        Assert.True(StoreFailures.IsUnavailable(new AggregateException(new global::Azure.RequestFailedException("refused"), new TaskCanceledException())));
    }

    [Theory]
    [InlineData("/devstoreaccount1/hubusers(PartitionKey='ada',RowKey='')", "users")]
    [InlineData("/g12ab34routes()", "routes")]
    [InlineData("/Tables", "tables")]
    [InlineData("/something", "other")]
    public void StoreMetrics_TableKind_NamesTheKindNotTheKey(string path, string kind) =>
        Assert.Equal(kind, StoreMetricsPolicy.TableKind(path));
}
