using System.Net;
using Hub.Gateway.Tests.Support;
using Hub.Testing;

namespace Hub.Gateway.Tests.Jupyter;

/// <summary>A real Jupyter server behind the gateway, reached only with the hub's session and the token the gateway injects.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JupyterThroughGatewayTests(AzuriteFixture azurite) : GatewayTestBase(azurite)
{
    [Fact]
    public async Task Kernel_ExecuteOnePlusOneOverWebSocket_Answers2()
    {
        await using var jupyter = await JupyterServer.StartRoutedAsync(Gateway, "alice");
        using var client = Gateway.CreateClient(AliceSession);

        var direct = await new HttpClient().GetAsync(new Uri(jupyter.Address, "/user/alice/api/kernels"));
        var status = await client.GetAsync("/user/alice/api/status");
        await using var kernel = await KernelSession.StartAsync(Gateway, client, "alice", AliceSession, () => jupyter.Output);
        string result = await kernel.ExecuteAsync("1+1");

        Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("2", result);
        var deleted = await kernel.DeleteAsync();
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }
}
