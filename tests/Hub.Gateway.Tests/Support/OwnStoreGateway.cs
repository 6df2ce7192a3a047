using Hub.Core.Store;
using Hub.Gateway.Tests.Jupyter;
using Hub.Testing;

namespace Hub.Gateway.Tests.Support;

/// <summary>
/// The gateway over an Azurite of its own (so a test may freeze or kill it without touching other tests), a test
/// backend as the control plane, and one user with a running server routed to a real Jupyter process, logged in.
/// Everything is stopped on dispose, a frozen Azurite first let go.
/// </summary>
public sealed class OwnStoreGateway : IAsyncDisposable
{
    private OwnStoreGateway(AzuriteFixture azurite) => Azurite = azurite;

    public AzuriteFixture Azurite { get; }

    public TestBackend ControlPlane { get; private set; } = null!;

    public RunningGateway Gateway { get; private set; } = null!;

    public JupyterServer Jupyter { get; private set; } = null!;

    /// <summary>A session cookie value of the user whose server runs.</summary>
    public string Session { get; private set; } = null!;

    /// <param name="user">The user whose server runs and who is logged in.</param>
    /// <param name="settings">Gateway settings.</param>
    /// <param name="otherUsers">More users who exist (no server, no session).</param>
    public static async Task<OwnStoreGateway> StartAsync(string user, IReadOnlyDictionary<string, string?> settings, params string[] otherUsers)
    {
        var stack = new OwnStoreGateway(new AzuriteFixture());
        try
        {
            await stack.Azurite.InitializeAsync();
            stack.ControlPlane = await TestBackend.StartAsync();
            stack.Gateway = await RunningGateway.StartAsync(stack.Azurite, stack.ControlPlane.Address, settings);
            foreach (string name in (string[])[user, .. otherUsers])
            {
                await stack.Gateway.AddUserAsync(name);
            }
            await stack.Gateway.Store.Servers.CreateAsync(new ServerRecord { User = user, Desired = ServerDesiredState.Running, Phase = ServerPhase.Running });
            stack.Session = await stack.Gateway.StartSessionAsync(user);
            stack.Jupyter = await JupyterServer.StartRoutedAsync(stack.Gateway, user);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Azurite.Resume();
        try
        {
            if (Jupyter is not null)
            {
                await Jupyter.DisposeAsync();
            }
            if (Gateway is not null)
            {
                await Gateway.DisposeAsync();
            }
            if (ControlPlane is not null)
            {
                await ControlPlane.DisposeAsync();
            }
        }
        finally
        {
            await Azurite.DisposeAsync();
        }
    }
}
