namespace Hub.Core.Usage;

/// <summary>Server time used, in each of the units a quota can count.</summary>
public readonly record struct UsageAmount(double ServerHours, double VcpuHours, double GbHours)
{
    public static readonly UsageAmount Zero = new(0, 0, 0);

    /// <summary>A run of <paramref name="seconds"/> at the given size.</summary>
    public static UsageAmount Of(double seconds, double cpu, double memoryInGb)
    {
        double hours = Math.Max(0, seconds) / 3600;
        return new UsageAmount(hours, hours * cpu, hours * memoryInGb);
    }

    public double In(UsageUnit unit) => unit switch
    {
        UsageUnit.VcpuHours => VcpuHours,
        UsageUnit.GbHours => GbHours,
        _ => ServerHours,
    };

    /// <summary>Hours per hour of running at this size, in <paramref name="unit"/>.</summary>
    public static double RateOf(UsageUnit unit, double cpu, double memoryInGb) => unit switch
    {
        UsageUnit.VcpuHours => cpu,
        UsageUnit.GbHours => memoryInGb,
        _ => 1,
    };

    public static UsageAmount operator +(UsageAmount a, UsageAmount b) =>
        new(a.ServerHours + b.ServerHours, a.VcpuHours + b.VcpuHours, a.GbHours + b.GbHours);
}

/// <summary>The unit's name, as messages, the API and CSV show it.</summary>
public static class UsageUnits
{
    public static string Name(UsageUnit unit) => unit switch
    {
        UsageUnit.VcpuHours => "vCPU-hours",
        UsageUnit.GbHours => "GB-hours",
        _ => "server-hours",
    };
}
