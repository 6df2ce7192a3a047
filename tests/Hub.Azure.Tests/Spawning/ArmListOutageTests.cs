using System.Diagnostics;
using Hub.ArmDouble;
using Hub.Azure.Arm;
using Hub.Core.Spawning;

namespace Hub.Azure.Tests.Spawning;

/// <summary>
/// ARM failing only the resource group's container-group list (500, 503 with Retry-After, or no answer), which polls
/// of a server being created and the reconcile sweep read: a poll is a waiting state with the message for the student
/// within <c>ContainerInstances__CallTimeout</c>, and the start completes once ARM is back, with one group.
/// </summary>
public sealed class ArmListOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    private ArmDouble.ArmDouble _arm = null!;

    public async Task InitializeAsync() => _arm = await ArmDouble.ArmDouble.StartAsync();

    public async Task DisposeAsync()
    {
        Assert.Empty(_arm.Problems);
        await _arm.DisposeAsync();
    }

    [Theory]
    [InlineData(ArmFault.InternalError, "500 InternalServerError")]
    [InlineData(ArmFault.ServiceUnavailable, "503 ServiceUnavailable")]
    [InlineData(ArmFault.Hang, "within 3 s")]
    public async Task Poll_ListFailing_WaitsWithAMessageThenRunsWithOneGroup(ArmFault fault, string detail)
    {
        var options = AciTestKit.Options(_arm, values => values["ContainerInstances:CallTimeout"] = "3s");
        var spawner = AciTestKit.Spawner(_arm, options);
        var start = AciTestKit.Start("listout");
        var created = await spawner.StartAsync(start, CancellationToken.None);
        Assert.Equal(SpawnerStatus.Creating, created.Status);
        _arm.Configure(_arm.Options with { ListFault = fault });
        var server = new SpawnerServer(start.Key, created.State);

        long polled = Stopwatch.GetTimestamp();
        var waiting = await spawner.PollAsync(server, CancellationToken.None);
        var took = Stopwatch.GetElapsedTime(polled);

        Assert.Equal(SpawnerStatus.Waiting, waiting.Status);
        Assert.Equal(ContainerInstanceSpawner.UnavailableMessage, waiting.Message);
        Assert.Contains(detail, waiting.Detail, StringComparison.Ordinal);
        Assert.True(waiting.RetryAfter > TimeSpan.Zero);
        Assert.True(took < CallTimeout + TimeSpan.FromSeconds(5), $"the poll took {took}");
        Assert.True(_arm.Count("faulted") > 0);

        _arm.Configure(_arm.Options with { ListFault = ArmFault.None });
        var settled = await AciTestKit.PollUntilSettledAsync(spawner, server, Bounded);

        Assert.Equal(SpawnerStatus.Running, settled.Status);
        Assert.Equal(1, _arm.Count("group-create"));
        Assert.Equal(["hub-listout"], _arm.GroupNames);
    }

    [Fact]
    public async Task List_ListFailing_IsAnOutageNotAnEmptyResourceGroup()
    {
        var options = AciTestKit.Options(_arm);
        var spawner = AciTestKit.Spawner(_arm, options);
        var start = AciTestKit.Start("kept");
        var created = await spawner.StartAsync(start, CancellationToken.None);
        await AciTestKit.PollUntilSettledAsync(spawner, new SpawnerServer(start.Key, created.State), Bounded);
        _arm.Configure(_arm.Options with { ListFault = ArmFault.ServiceUnavailable });

        // The sweep must not read an outage as "no groups" (every running server would look dead).
        var failure = await Assert.ThrowsAsync<ArmUnavailableException>(async () =>
        {
            await foreach (var _ in spawner.ListAsync(CancellationToken.None))
            {
            }
        });

        Assert.Contains("list container groups with 503", failure.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), failure.RetryAfter);
        Assert.Equal(["hub-kept"], _arm.GroupNames);
    }
}
