using System.Net;
using System.Text.Json;
using Hub.Core.Store;
using Hub.Testing;

namespace Hub.Functions.Tests.Api;

/// <summary>The named-server switch and limit as the REST API answers them, with JupyterHub's messages, on the app's own lifecycle.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NamedServerLimitApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task NamedServersOff_StartIs400WithJupyterHubsMessage_AndNothingIsRecorded()
    {
        await using var real = await RealSpawnerHub.StartAsync(azurite, new Dictionary<string, string?> { ["Spawner:AllowNamedServers"] = "false" });
        var api = real.Hub.Api(await real.Hub.TokenAsync("amy"));

        var response = await api.PostAsync("/hub/api/users/amy/servers/extra", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Named servers are not enabled.", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        Assert.Null(await real.Store.Servers.GetAsync(new ServerKey("amy", "extra")));
    }

    [Fact]
    public async Task AtTheLimit_ANewNameIs400_WhileAnExistingOneIsNotRefusedForIt()
    {
        await using var real = await RealSpawnerHub.StartAsync(azurite, new Dictionary<string, string?> { ["Spawner:NamedServerLimitPerUser"] = "1" });
        var api = real.Hub.Api(await real.Hub.TokenAsync("amy"));
        await real.Store.Servers.CreateAsync(new ServerRecord { User = "amy", Name = "first" });

        var second = await api.PostAsync("/hub/api/users/amy/servers/second", null);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("User amy already has the maximum of 1 named servers.  One must be deleted before a new server can be created",
            JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        Assert.Null(await real.Store.Servers.GetAsync(new ServerKey("amy", "second")));
    }
}
