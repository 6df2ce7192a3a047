using System.Security.Cryptography;
using Hub.Azure.Store;
using Hub.Core.Store;
using Hub.Functions.Tests.Auth;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Functions.Tests.Hosting;

/// <summary>A fresh deployment: the tables are created while the app starts, and nothing reads them before that.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoreStartupTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FreshStore_FirstReconcileSweepWaitsForTheTables_NoErrorLogged()
    {
        var logs = new CapturingLoggerProvider();
        var tablesMayBeCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var plane = await RunningControlPlane.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = AzuriteFixture.UniqueTableName("s"),
            ["Hub:SecretKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Logging:LogLevel:Hub.Core.Spawning.ReconcileScheduler"] = "Debug",
        }, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            // Table creation waits for the test, so the first sweep is due while the tables are still missing.
            services.AddSingleton<IHubStore>(provider => new GatedStore(provider.GetRequiredService<TableHubStore>(), tablesMayBeCreated.Task));
        });

        await Eventually.UntilAsync(() => Task.FromResult(logs.Text.Contains("The first reconcile sweep waits until the store's tables exist", StringComparison.Ordinal)),
            Timeout, "the first sweep to wait for the tables");
        tablesMayBeCreated.SetResult();
        await Eventually.UntilAsync(() => Task.FromResult(logs.Text.Contains("Reconcile sweep:", StringComparison.Ordinal)), Timeout, "the first sweep");

        Assert.DoesNotContain("The reconcile sweep failed", logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("TableNotFound", logs.Text, StringComparison.Ordinal);
    }

    /// <summary>The real store, whose table creation starts only when the test allows it.</summary>
    private sealed class GatedStore(TableHubStore inner, Task gate) : IHubStore
    {
        public IUserStore Users => inner.Users;

        public IServerStore Servers => inner.Servers;

        public IRouteStore Routes => inner.Routes;

        public ISessionStore Sessions => inner.Sessions;

        public ITokenStore Tokens => inner.Tokens;

        public IUsageStore Usage => inner.Usage;

        public Hub.Core.Sharing.IShareStore Shares => inner.Shares;

        public Hub.Core.Sharing.IShareCodeStore ShareCodes => inner.ShareCodes;

        public string Location => inner.Location;

        public async Task InitializeAsync(CancellationToken cancellationToken = default)
        {
            await gate.WaitAsync(cancellationToken);
            await inner.InitializeAsync(cancellationToken);
        }

        public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);
    }
}
