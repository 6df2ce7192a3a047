using System.Net;
using Hub.Testing;
using Hub.Testing.Hosting;

namespace Hub.Functions.Tests.Hosting;

/// <summary>The shared host fixture itself: what it starts answers, and what it started is gone after dispose.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HubHostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task BothParts_GatewayForwardsToTheControlPlane_DisposeStopsBoth()
    {
        var host = await HubHost.StartAsync(new HubHostOptions { Parts = HubParts.Both, Azurite = azurite });
        Uri controlPlane = host.ControlPlaneAddress!;
        Uri gateway = host.GatewayAddress!;
        try
        {
            Assert.Equal(gateway, host.Address);
            Assert.NotEqual(controlPlane.Port, gateway.Port);
            Assert.Equal("127.0.0.1", gateway.Host);
            var health = await host.CreateClient().GetAsync("/hub/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(controlPlane, "/hub/health")));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(gateway, "/hub/health")));
    }

    [Fact]
    public async Task GatewayAlone_WithoutAControlPlaneUrl_IsRefusedNamingIt()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => HubHost.StartAsync(new HubHostOptions { Parts = HubParts.Gateway, Azurite = azurite }));
        Assert.Contains("ControlPlaneUrl", error.Message, StringComparison.Ordinal);
    }
}
