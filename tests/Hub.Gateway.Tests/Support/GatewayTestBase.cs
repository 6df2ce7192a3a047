using System.Net.Http.Json;
using Hub.Testing;

namespace Hub.Gateway.Tests.Support;

/// <summary>One gateway with one backend as both control plane and alice's server, and alice logged in; disposed after each test.</summary>
public abstract class GatewayTestBase(AzuriteFixture azurite) : IAsyncLifetime
{
    protected AzuriteFixture Azurite => azurite;

    protected TestBackend Backend { get; private set; } = null!;

    protected RunningGateway Gateway { get; private set; } = null!;

    /// <summary>A session cookie value of alice, the owner of the routed server.</summary>
    protected string AliceSession { get; private set; } = null!;

    /// <summary>Extra gateway settings for the tests of a class.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        Backend = await TestBackend.StartAsync();
        Gateway = await RunningGateway.StartAsync(azurite, Backend.Address, Settings);
        await Gateway.AddUserAsync("alice");
        AliceSession = await Gateway.StartSessionAsync("alice");
    }

    protected static async Task<TestBackend.EchoResponse> EchoOf(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"expected success, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TestBackend.EchoResponse>())!;
    }

    public virtual async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backend.DisposeAsync();
    }
}
