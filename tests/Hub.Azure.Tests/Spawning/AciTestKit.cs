using Hub.ArmDouble;
using Hub.Azure.Arm;
using Hub.Core.Configuration;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Azure.Tests.Spawning;

/// <summary>An ACI spawner wired to a running ARM double, as the control plane would build it.</summary>
internal static class AciTestKit
{
    public static ContainerInstancesOptions Options(ArmDouble.ArmDouble arm, Action<Dictionary<string, string?>>? change = null)
    {
        var values = ArmDoubleSettings.For(arm);
        change?.Invoke(values);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var problems = new SettingsProblems();
        var options = SettingsBinder.Bind<ContainerInstancesOptions>(configuration, problems);
        Assert.False(problems.Any, string.Join("; ", problems.Messages));
        return options;
    }

    public static ContainerInstanceSpawner Spawner(ArmDouble.ArmDouble arm, ContainerInstancesOptions options) =>
        new(new ArmClient(options.ManagementEndpoint, new LoopbackCredential()), options, new ArmRateLimiter(TimeProvider.System), TimeProvider.System,
            NullLogger<ContainerInstanceSpawner>.Instance);

    public static SpawnerStart Start(string user, string token = "t0ken-for-tests", SpawnProfile? profile = null, string? state = null) =>
        new(new ServerKey(user, ""), state, token, profile ?? SpawnProfile.BuiltIn, 1);

    /// <summary>Polls until the spawner reports something other than creating or starting.</summary>
    public static async Task<SpawnerObservation> PollUntilSettledAsync(ISpawner spawner, SpawnerServer server, TimeSpan timeout)
    {
        SpawnerObservation seen = new(SpawnerStatus.Creating);
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                seen = await spawner.PollAsync(server, CancellationToken.None);
                return seen.Status is not (SpawnerStatus.Creating or SpawnerStatus.Starting or SpawnerStatus.Waiting);
            }, timeout, $"{server.Key} to settle", TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last seen: {seen}", ex);
        }
        return seen;
    }
}
