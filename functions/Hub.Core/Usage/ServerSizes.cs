using Hub.Core.Spawning;

namespace Hub.Core.Usage;

/// <summary>
/// The size a server runs at, for weighting its hours: its profile's CPU and memory, or the spawner's defaults (the
/// container-instances size, also counted for local processes so that a quota means the same on both).
/// </summary>
public sealed class ServerSizes(SpawnerOptions spawner, double defaultCpu, double defaultMemoryInGb)
{
    public (double Cpu, double MemoryInGb) Of(string? profile)
    {
        var chosen = spawner.FindProfile(profile);
        return (chosen?.Cpu ?? defaultCpu, chosen?.MemoryInGb ?? defaultMemoryInGb);
    }
}
