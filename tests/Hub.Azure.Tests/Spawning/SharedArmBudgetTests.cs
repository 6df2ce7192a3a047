using Hub.ArmDouble;
using Hub.Azure.Arm;
using Hub.Core.Spawning;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Azure.Tests.Spawning;

/// <summary>
/// Two control planes (two spawners, each with its own pacer, as two Flex instances have) start servers at once
/// against one ARM double that keeps ARM's write budget (200 at once, 10 per second) for the identity they share.
/// </summary>
public sealed class SharedArmBudgetTests
{
    private const int ServersPerControlPlane = 55; // two writes each (share, group): 220 writes, more than one burst

    [Fact]
    public async Task TwoControlPlanes_EachPacedToHalf_StayInsideArmsWriteBudget()
    {
        int throttled = await StartEverywhereAsync(instances: 2);

        Assert.Equal(0, throttled);
    }

    [Fact]
    public async Task TwoControlPlanes_EachPacedToTheWholeBudget_AreThrottledByArm()
    {
        int throttled = await StartEverywhereAsync(instances: 1);

        Assert.True(throttled > 0, "two instances that each spend the whole budget should meet ARM's 429");
    }

    /// <summary>Starts every server on both control planes, coming back after each wait as the reconcile loop does; returns ARM's 429 count.</summary>
    private static async Task<int> StartEverywhereAsync(int instances)
    {
        await using var arm = await ArmDouble.ArmDouble.StartAsync(new ArmDoubleOptions { Writes = new BucketLimits(200, 10), ServeHttp = false });
        var options = AciTestKit.Options(arm, s => s["ContainerInstances:ArmInstances"] = instances.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(instances, options.ArmInstances);
        var planes = Enumerable.Range(0, 2).Select(_ => new ContainerInstanceSpawner(new ArmClient(options.ManagementEndpoint, new LoopbackCredential()), options,
            new ArmRateLimiter(TimeProvider.System, options.ArmInstances), TimeProvider.System, NullLogger<ContainerInstanceSpawner>.Instance)).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        await Task.WhenAll(planes.SelectMany((spawner, plane) => Enumerable.Range(0, ServersPerControlPlane)
            .Select(i => StartAsync(spawner, AciTestKit.Start($"p{plane}-s{i}"), timeout.Token))));

        Assert.Equal(2 * ServersPerControlPlane, arm.GroupNames.Count);
        Assert.Empty(arm.Problems);
        return arm.Count("throttled");
    }

    private static async Task StartAsync(ContainerInstanceSpawner spawner, SpawnerStart start, CancellationToken cancellationToken)
    {
        while (true)
        {
            var seen = await spawner.StartAsync(start, cancellationToken);
            if (seen.Status is not SpawnerStatus.Waiting)
            {
                Assert.Equal(SpawnerStatus.Creating, seen.Status);
                return;
            }
            start = start with { State = seen.State };
            await Task.Delay(seen.RetryAfter ?? TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
