using System.Globalization;
using Hub.Cost.Model;
using Hub.Cost.Prices;

namespace Hub.Cost.Usage;

/// <summary>
/// What a recorded period cost: the servers' vCPU- and GB-hours at ACI's prices, plus the hub's idle cost (the model's
/// per-day figure for that many users) for the period's days. An estimate from list prices, not the bill.
/// </summary>
public sealed record UsageSpend(RecordedUsage Usage, decimal PerVcpuHour, decimal PerGbHour, decimal IdlePerDay, string Currency)
{
    public static UsageSpend Estimate(RecordedUsage usage, PriceList prices, CostAssumptions assumptions)
    {
        var estimate = new CostModel(prices).Estimate(assumptions with { Students = Math.Max(1, usage.Users.Count) });
        return new UsageSpend(usage, prices.Of("containerInstances.vcpuSecond") * 3600, prices.Of("containerInstances.memoryGbSecond") * 3600, estimate.IdleTotal, prices.Currency);
    }

    public decimal Days => (decimal)(Usage.End - Usage.Start).TotalDays;

    public decimal ServersOf(UsageLine line) => line.VcpuHours * PerVcpuHour + line.GbHours * PerGbHour;

    public decimal Servers => Usage.Users.Sum(ServersOf);

    public decimal Idle => IdlePerDay * Days;

    public decimal Total => Servers + Idle;

    public void Write(TextWriter output)
    {
        output.WriteLine($"Serverless Hub: estimated spend for {Usage.Period} ({Usage.Start:yyyy-MM-dd} to {Usage.End:yyyy-MM-dd}, {Days.ToString("0.#", CultureInfo.InvariantCulture)} days; {Currency}, list prices)");
        output.WriteLine($"  servers            {Amount(Servers)}  ({Sum(l => l.ServerHours)} server-hours, {Sum(l => l.VcpuHours)} vCPU-hours, {Sum(l => l.GbHours)} GB-hours)");
        output.WriteLine($"  idle platform      {Amount(Idle)}  ({Amount(IdlePerDay)} a day for {Usage.Users.Count} users' homes and the always-on parts)");
        output.WriteLine($"  total              {Amount(Total)}");
        if (Usage.Groups.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Servers per group:");
            foreach (var group in Usage.Groups.OrderByDescending(ServersOf))
            {
                output.WriteLine($"  {group.Name,-24} {Amount(ServersOf(group))}");
            }
        }
        output.WriteLine();
        output.WriteLine("Top users by server cost:");
        foreach (var user in Usage.Users.Where(u => u.VcpuHours > 0 || u.GbHours > 0).OrderByDescending(ServersOf).Take(10))
        {
            output.WriteLine($"  {user.Name,-24} {Amount(ServersOf(user))}");
        }
    }

    private string Sum(Func<UsageLine, decimal> field) => Usage.Users.Sum(field).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
