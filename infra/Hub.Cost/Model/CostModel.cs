using System.Globalization;
using Hub.Cost.Prices;

namespace Hub.Cost.Model;

/// <summary>
/// The arithmetic: idle cost per day (what the deployment costs while nobody works) and cost per student-hour
/// (what one running user server adds), each as a list of lines that say how they were computed.
/// </summary>
public sealed class CostModel(PriceList prices)
{
    public const decimal SecondsPerHour = 3600m;
    public const decimal SecondsPerDay = 86_400m;

    /// <summary>365.25 / 12: monthly prices and monthly free grants are spread over this many days.</summary>
    public const decimal DaysPerMonth = 30.4375m;

    /// <summary>Flex Consumption bills at least this long for each execution.</summary>
    public const decimal MinimumBilledExecutionSeconds = 1m;

    public CostEstimate Estimate(CostAssumptions a) => new(
        IdlePerDay(a),
        PerStudentHour(a),
        prices.Of("kubernetesHub.idleDay"),
        prices.Of("kubernetesHub.studentHour"));

    public IReadOnlyList<CostLine> IdlePerDay(CostAssumptions a)
    {
        var lines = new List<CostLine>();

        decimal timerGbSeconds = a.TimerRunsPerDay * MinimumBilledExecutionSeconds * a.ControlPlaneMemoryGb;
        decimal freeGbSeconds = a.FreeGrants ? prices.Of("flex.freeGbSecondsPerMonth") / DaysPerMonth : 0;
        decimal freeExecutions = a.FreeGrants ? prices.Of("flex.freeExecutionsPerMonth") / DaysPerMonth : 0;
        lines.Add(new("Control plane timers (Flex Consumption)",
            $"{a.TimerRunsPerDay} runs × {MinimumBilledExecutionSeconds} s × {a.ControlPlaneMemoryGb} GB × {Money(prices.Of("flex.onDemandGbSecond"))}/GB-s"
                + Grant(freeGbSeconds, "GB-s") + $" + executions at {Money(prices.Of("flex.executionsPerMillion"))}/million",
            Positive(timerGbSeconds - freeGbSeconds) * prices.Of("flex.onDemandGbSecond")
                + Positive(a.TimerRunsPerDay - freeExecutions) / 1_000_000m * prices.Of("flex.executionsPerMillion")));

        if (a.AlwaysReadyInstances > 0)
        {
            lines.Add(new("Control plane always-ready instances",
                $"{a.AlwaysReadyInstances} × {a.ControlPlaneMemoryGb} GB × 86,400 s × {Money(prices.Of("flex.alwaysReadyBaselineGbSecond"))}/GB-s",
                a.AlwaysReadyInstances * a.ControlPlaneMemoryGb * SecondsPerDay * prices.Of("flex.alwaysReadyBaselineGbSecond")));
        }

        decimal vcpuRate = a.GatewayNeverIdle ? prices.Of("containerApps.activeVcpuSecond") : prices.Of("containerApps.idleVcpuSecond");
        decimal vcpuSeconds = a.GatewayReplicas * a.GatewayVcpu * SecondsPerDay;
        decimal gibSeconds = a.GatewayReplicas * a.GatewayMemoryGib * SecondsPerDay;
        decimal freeVcpu = a.FreeGrants ? prices.Of("containerApps.freeVcpuSecondsPerMonth") / DaysPerMonth : 0;
        decimal freeGib = a.FreeGrants ? prices.Of("containerApps.freeGibSecondsPerMonth") / DaysPerMonth : 0;
        lines.Add(new($"Gateway, {a.GatewayReplicas} minimum replica(s) ({(a.GatewayNeverIdle ? "active" : "idle")} rate)",
            $"{a.GatewayReplicas} × 86,400 s × ({a.GatewayVcpu} vCPU × {Money(vcpuRate)} + {a.GatewayMemoryGib} GiB × {Money(prices.Of("containerApps.memoryGibSecond"))})"
                + Grant(freeVcpu, "vCPU-s") + Grant(freeGib, "GiB-s"),
            Positive(vcpuSeconds - freeVcpu) * vcpuRate + Positive(gibSeconds - freeGib) * prices.Of("containerApps.memoryGibSecond")));

        // Two: the hub's (gateway, control plane) and the user servers' own, so student code never leaves through an address the control plane admits.
        lines.Add(new("NAT gateways (hub, user servers)", $"2 × 24 h × {Money(prices.Of("natGateway.hour"))}", 2 * 24 * prices.Of("natGateway.hour")));
        lines.Add(new("Public IPs of the NAT gateways", $"2 × 24 h × {Money(prices.Of("publicIp.staticHour"))}", 2 * 24 * prices.Of("publicIp.staticHour")));
        lines.Add(new("Container registry (Basic)", $"1 day × {Money(prices.Of("registry.basicDay"))}", prices.Of("registry.basicDay")));

        decimal routeReads = a.RouteReadsPerSecond * SecondsPerDay * a.GatewayReplicas;
        decimal transactions = routeReads + 2 * a.TimerRunsPerDay;
        lines.Add(new("State account (tables, host storage, package)",
            $"{transactions:N0} table transactions × {Money(prices.Of("tables.transactionsPer10k"))}/10k + {a.PackageGb} GB package × {Money(prices.Of("blobs.gbMonth"))}/GB-month",
            transactions / 10_000m * prices.Of("tables.transactionsPer10k") + a.PackageGb * prices.Of("blobs.gbMonth") / DaysPerMonth));

        lines.Add(new("Home shares at rest (Azure Files)",
            $"{a.Students} students × {a.HomeGibPerStudent} GiB × {Money(prices.Of("files.gbMonth"))}/GiB-month",
            a.Students * a.HomeGibPerStudent * prices.Of("files.gbMonth") / DaysPerMonth));

        lines.Add(new("Key Vault", $"{a.KeyVaultOperationsPerDay} reads × {Money(prices.Of("keyVault.operationsPer10k"))}/10k",
            a.KeyVaultOperationsPerDay / 10_000m * prices.Of("keyVault.operationsPer10k")));

        lines.Add(new("Monitoring (Log Analytics, Application Insights)", $"{a.IdleLogGbPerDay} GB × {Money(prices.Of("logAnalytics.ingestionGb"))}/GB",
            a.IdleLogGbPerDay * prices.Of("logAnalytics.ingestionGb")));

        return lines;
    }

    public IReadOnlyList<CostLine> PerStudentHour(CostAssumptions a)
    {
        decimal nat = prices.Of("natGateway.dataGb");
        decimal gatewayHour = SecondsPerHour * (a.GatewayVcpu * prices.Of("containerApps.activeVcpuSecond") + a.GatewayMemoryGib * prices.Of("containerApps.memoryGibSecond"));
        return
        [
            new("Server vCPU (Container Instances)", $"{a.ServerVcpu} vCPU × 3,600 s × {Money(prices.Of("containerInstances.vcpuSecond"))}",
                a.ServerVcpu * SecondsPerHour * prices.Of("containerInstances.vcpuSecond")),
            new("Server memory (Container Instances)", $"{a.ServerMemoryGb} GB × 3,600 s × {Money(prices.Of("containerInstances.memoryGbSecond"))}",
                a.ServerMemoryGb * SecondsPerHour * prices.Of("containerInstances.memoryGbSecond")),
            new("Image pull through the NAT gateway", $"{a.ImagePullGb} GB per start / {a.SessionHours} h × {Money(nat)}/GB",
                a.ImagePullGb / a.SessionHours * nat),
            new("Internet traffic through the NAT gateway", $"{a.InternetGbPerStudentHour} GB × {Money(nat)}/GB", a.InternetGbPerStudentHour * nat),
            new("Control plane requests (Flex Consumption)",
                $"{a.ControlPlaneRequestsPerStudentHour} × {MinimumBilledExecutionSeconds} s × {a.ControlPlaneMemoryGb} GB × {Money(prices.Of("flex.onDemandGbSecond"))}/GB-s + executions",
                a.ControlPlaneRequestsPerStudentHour * MinimumBilledExecutionSeconds * a.ControlPlaneMemoryGb * prices.Of("flex.onDemandGbSecond")
                    + a.ControlPlaneRequestsPerStudentHour / 1_000_000m * prices.Of("flex.executionsPerMillion")),
            new("Spawn progress streams (Flex Consumption)",
                $"{a.ProgressStreamSecondsPerStart} s open per start × {a.ControlPlaneMemoryGb} GB × {Money(prices.Of("flex.onDemandGbSecond"))}/GB-s + executions, / {a.SessionHours} h",
                (a.ProgressStreamSecondsPerStart * a.ControlPlaneMemoryGb * prices.Of("flex.onDemandGbSecond")
                    + StreamExecutions(a.ProgressStreamSecondsPerStart) / 1_000_000m * prices.Of("flex.executionsPerMillion")) / a.SessionHours),
            new("Gateway under load (Container Apps)", $"an active replica-hour {Money(gatewayHour)} / {a.StudentsPerGatewayReplica} students",
                gatewayHour / a.StudentsPerGatewayReplica),
            new("Home share transactions (Azure Files)", $"{a.FileTransactionsPerStudentHour:N0} × {Money(prices.Of("files.transactionsPer10k"))}/10k",
                a.FileTransactionsPerStudentHour / 10_000m * prices.Of("files.transactionsPer10k")),
            new("Logs", $"{a.LogMbPerStudentHour} MB × {Money(prices.Of("logAnalytics.ingestionGb"))}/GB",
                a.LogMbPerStudentHour / 1000m * prices.Of("logAnalytics.ingestionGb")),
        ];
    }

    /// <summary>Prices with as many digits as they need: $0.0000135, $0.045, $13.</summary>
    public static string Money(decimal amount) => "$" + amount.ToString("0.##########", CultureInfo.InvariantCulture);

    private static decimal Positive(decimal value) => Math.Max(0, value);

    /// <summary>Executions one start's progress stream costs: the control plane ends a stream after 200 s and the page reopens it.</summary>
    private static decimal StreamExecutions(int seconds) => Math.Max(1, (seconds + 199) / 200);

    private static string Grant(decimal perDay, string unit) => perDay > 0 ? $" − free {perDay:N0} {unit}/day" : "";
}
