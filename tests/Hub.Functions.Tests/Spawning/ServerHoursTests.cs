using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Functions.Tests.Spawning;

/// <summary>Server-hours through the real reconcile loop and store: a finished run is counted once, however often its stop is stepped.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServerHoursTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task StopStep_RepeatedAndConcurrent_AddsTheRunOnce()
    {
        await using var hub = await SpawningHub.StartAsync(azurite);
        await hub.AddUsersAsync("hanna");
        var server = new ServerKey("hanna", "");
        var started = DateTimeOffset.UtcNow.AddHours(-2);
        // A run of two hours whose stop was decided, as a control plane killed before it finished the stop leaves it.
        await hub.Store.Servers.CreateAsync(new ServerRecord
        {
            User = "hanna",
            Desired = ServerDesiredState.Stopped,
            Phase = ServerPhase.Stopping,
            PhaseSince = DateTimeOffset.UtcNow,
            Requested = started.AddMinutes(-1),
            Started = started,
            UsedSeconds = 1800,
        });
        var reconciler = hub.ControlPlane.Services.GetRequiredService<ServerReconciler>();

        // Side by side (the control plane's own scheduler may join in), then once more after it settled.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => reconciler.StepAsync(server, CancellationToken.None)));
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(server)).Phase == ServerPhase.Stopped, TimeSpan.FromSeconds(30), "the stop to finish");
        await reconciler.StepAsync(server, CancellationToken.None);

        var record = await hub.RecordAsync(server);
        Assert.Null(record.Started);
        Assert.InRange(record.UsedSeconds, 1800 + 7200, 1800 + 7200 + 60);
    }

    [Fact]
    public async Task StartRequest_WhileAStopWaitsToBeStepped_CountsTheRunSoFarOnce()
    {
        await using var hub = await SpawningHub.StartAsync(azurite, new Dictionary<string, string?> { ["Spawner:SlowSpawnTimeout"] = "0s" });
        await hub.AddUsersAsync("jonas");
        var server = new ServerKey("jonas", "");
        // Stop asked for, not yet stepped: the record still says running, with an hour of this run behind it.
        await hub.Store.Servers.CreateAsync(new ServerRecord
        {
            User = "jonas",
            Desired = ServerDesiredState.Stopped,
            Phase = ServerPhase.Running,
            PhaseSince = DateTimeOffset.UtcNow.AddHours(-1),
            Started = DateTimeOffset.UtcNow.AddHours(-1),
            UsedSeconds = 60,
        });

        await hub.Lifecycle.RequestStartAsync(server, StartOptions.Default);
        await Eventually.UntilAsync(async () => (await hub.RecordAsync(server)).Phase == ServerPhase.Running, TimeSpan.FromSeconds(90), "the server to run again");

        var record = await hub.RecordAsync(server);
        Assert.InRange(record.UsedSeconds, 60 + 3600, 60 + 3600 + 60);
        Assert.InRange(DateTimeOffset.UtcNow - record.Started!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(90));
    }

}
