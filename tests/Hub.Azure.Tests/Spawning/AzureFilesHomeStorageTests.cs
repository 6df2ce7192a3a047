using Hub.Azure.Arm;
using Hub.Core.Usage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Azure.Tests.Spawning;

/// <summary>Home sizes from ARM's share statistics, against the ARM double (which checks the request against the spec).</summary>
public sealed class AzureFilesHomeStorageTests : IAsyncLifetime
{
    private ArmDouble.ArmDouble _arm = null!;

    public async Task InitializeAsync() => _arm = await ArmDouble.ArmDouble.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_arm.Problems);
        await _arm.DisposeAsync();
    }

    private AzureFilesHomeStorage Homes(ContainerInstancesOptions options) =>
        new(new ArmClient(options.ManagementEndpoint, new LoopbackCredential()), options, new ArmRateLimiter(TimeProvider.System), TimeProvider.System,
            NullLogger<AzureFilesHomeStorage>.Instance);

    [Fact]
    public async Task UseOf_AStartedUser_IsTheSharesUsageBytesAndQuotaInBytes_WithOneRead()
    {
        var options = AciTestKit.Options(_arm, values => values["ContainerInstances:ShareQuotaGiB"] = "2");
        await AciTestKit.Spawner(_arm, options).StartAsync(AciTestKit.Start("alice"), CancellationToken.None);
        _arm.SetShareUsage("hub-alice", 1_950_000_000);

        var use = await Homes(options).UseOfAsync("alice", CancellationToken.None);

        Assert.NotNull(use);
        Assert.Equal(1_950_000_000, use.UsedBytes);
        Assert.Equal(2L << 30, use.QuotaBytes);
        Assert.True(use.IsNearlyFull);
        Assert.Equal(1, _arm.Count("share-get"));
    }

    [Fact]
    public async Task UseOf_AUserWhoNeverStarted_IsNull()
    {
        var options = AciTestKit.Options(_arm);

        var use = await Homes(options).UseOfAsync("nobody", CancellationToken.None);

        Assert.Null(use);
        Assert.Equal(1, _arm.Count("share-get"));
    }

    [Fact]
    public async Task UseOf_ReadsAreSpaced_SoASurveyLeavesArmReadsToStarts()
    {
        var options = AciTestKit.Options(_arm);
        var homes = Homes(options);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => homes.UseOfAsync("user" + i, CancellationToken.None)));

        Assert.True(clock.Elapsed >= AzureFilesHomeStorage.Spacing * 5, $"6 reads took {clock.Elapsed}");
    }
}
