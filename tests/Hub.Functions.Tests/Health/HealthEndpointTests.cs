using System.Net;
using System.Text.Json;
using Hub.Testing;

namespace Hub.Functions.Tests.Health;

[Collection(AzuriteCollection.Name)]
public sealed class HealthEndpointTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("/hub/health")]
    [InlineData("/hub/api/health")]
    public async Task Health_StoreReachable_Is200(string path)
    {
        await using var hub = await RunningControlPlane.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = AzuriteFixture.UniqueTableName("h"),
        });

        // The tables are created in the background; health turns 200 once they exist.
        HttpResponseMessage? response = null;
        await Eventually.UntilAsync(async () =>
        {
            response = await hub.Client.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(20), "/hub/health to answer 200");

        using var body = JsonDocument.Parse(await response!.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Health_StoreUnreachable_Is503ProblemWithReason()
    {
        int port = FreePort.Next();
        await using var hub = await RunningControlPlane.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"AccountName=devstoreaccount1;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1",
        });

        var response = await hub.Client.GetAsync("/hub/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string detail = body.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains($"127.0.0.1:{port}", detail, StringComparison.Ordinal);
        Assert.Contains("not reachable", detail, StringComparison.Ordinal);
    }
}
