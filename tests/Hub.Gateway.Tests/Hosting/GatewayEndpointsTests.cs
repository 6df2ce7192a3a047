using System.Net;
using System.Text.Json;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Hosting;

[Collection(AzuriteCollection.Name)]
public sealed class GatewayEndpointsTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    [Fact]
    public async Task Health_RoutesLoaded_Is200WithCounts()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        using var client = Gateway.CreateClient();
        HttpResponseMessage? response = null;

        await Eventually.UntilAsync(async () =>
        {
            response = await client.GetAsync("/health");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("routes").GetInt32() == 1;
        }, TimeSpan.FromSeconds(10), "/health to report the route");

        Assert.Equal("no-store", response!.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Metrics_AdminSession_ListsRequestsErrorsLatencyAndWebSockets()
    {
        await Gateway.AddRouteAsync("alice", Backend.Address);
        await Gateway.AddUserAsync("root", admin: true);
        using var alice = Gateway.CreateClient(AliceSession);
        await EchoOf(await alice.GetAsync("/user/alice/api/status"));
        await EchoOf(await alice.GetAsync("/hub/api/"));
        using var socket = await WebSockets.ConnectAsync(Gateway, "/user/alice/ws", AliceSession);
        using var admin = Gateway.CreateClient(await Gateway.StartSessionAsync("root"));

        var response = await admin.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("hub_gateway_requests_total{backend=\"user\",code=\"200\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("hub_gateway_requests_total{backend=\"hub\",code=\"200\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("hub_gateway_forward_errors_total{error=\"timeout\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("hub_gateway_backend_duration_seconds_count{backend=\"user\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("hub_gateway_websockets_open{backend=\"user\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_NonAdminOrAnonymous_Is403()
    {
        using var alice = Gateway.CreateClient(AliceSession);
        using var anonymous = Gateway.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync("/metrics")).StatusCode);
    }
}
