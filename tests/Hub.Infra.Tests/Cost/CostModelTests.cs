using Hub.Cost.Model;
using Hub.Cost.Prices;

namespace Hub.Infra.Tests.Cost;

/// <summary>The cost model's arithmetic, with round prices so that every expected amount can be checked by hand.</summary>
public sealed class CostModelTests
{
    /// <summary>A price list where everything is free except what a test names.</summary>
    private static PriceList Prices(params (string Key, decimal Amount)[] amounts)
    {
        var prices = PriceList.RequiredKeys.ToDictionary(k => k, k => new Price(0m, "unit", "2026-11-22", "test"));
        foreach (var (key, amount) in amounts)
        {
            prices[key] = new Price(amount, "unit", "2026-11-22", "test");
        }
        return new PriceList(prices);
    }

    private static decimal Line(IReadOnlyList<CostLine> lines, string componentStart) =>
        Assert.Single(lines, l => l.Component.StartsWith(componentStart, StringComparison.Ordinal)).Amount;

    [Fact]
    public void StudentHour_ServerIsBilledPerSecondOfItsVcpuAndMemory()
    {
        var model = new CostModel(Prices(("containerInstances.vcpuSecond", 0.0000135m), ("containerInstances.memoryGbSecond", 0.0000015m)));

        var lines = model.PerStudentHour(new CostAssumptions { ServerVcpu = 1m, ServerMemoryGb = 2m });

        // The worked example of the project's Azure reference: 3600 × (0.0000135 + 2 × 0.0000015) ≈ $0.059.
        Assert.Equal(0.0486m, Line(lines, "Server vCPU"));
        Assert.Equal(0.0108m, Line(lines, "Server memory"));
        Assert.Equal(0.0594m, lines.Sum(l => l.Amount));
    }

    [Fact]
    public void StudentHour_ImagePullIsSpreadOverTheSession()
    {
        var model = new CostModel(Prices(("natGateway.dataGb", 0.05m)));

        var lines = model.PerStudentHour(new CostAssumptions { ImagePullGb = 2m, SessionHours = 4m, InternetGbPerStudentHour = 0.1m });

        Assert.Equal(0.025m, Line(lines, "Image pull"));
        Assert.Equal(0.005m, Line(lines, "Internet traffic"));
    }

    [Fact]
    public void StudentHour_ControlPlaneBillsTheMinimumSecondPerRequest()
    {
        var model = new CostModel(Prices(("flex.onDemandGbSecond", 0.00001m), ("flex.executionsPerMillion", 0.5m)));

        var lines = model.PerStudentHour(new CostAssumptions { ControlPlaneRequestsPerStudentHour = 100, ControlPlaneMemoryGb = 2m });

        Assert.Equal(100 * 1m * 2m * 0.00001m + 100 / 1_000_000m * 0.5m, Line(lines, "Control plane"));
    }

    [Fact]
    public void StudentHour_ProgressStreamsBillTheirOpenTimeAndOneExecutionPer200Seconds()
    {
        var model = new CostModel(Prices(("flex.onDemandGbSecond", 0.00001m), ("flex.executionsPerMillion", 0.5m)));

        var lines = model.PerStudentHour(new CostAssumptions { ProgressStreamSecondsPerStart = 300, ControlPlaneMemoryGb = 2m, SessionHours = 2m });

        Assert.Equal((300 * 2m * 0.00001m + 2 / 1_000_000m * 0.5m) / 2m, Line(lines, "Spawn progress streams"));
    }

    [Fact]
    public void StudentHour_GatewayLoadIsSharedByTheStudentsOfAReplica()
    {
        var model = new CostModel(Prices(("containerApps.activeVcpuSecond", 0.00002m), ("containerApps.memoryGibSecond", 0.000005m)));

        var lines = model.PerStudentHour(new CostAssumptions { GatewayVcpu = 0.5m, GatewayMemoryGib = 1m, StudentsPerGatewayReplica = 100 });

        Assert.Equal(3600m * (0.5m * 0.00002m + 1m * 0.000005m) / 100, Line(lines, "Gateway under load"));
    }

    [Fact]
    public void Idle_NetworkAndRegistryAreBilledByTheClock()
    {
        var model = new CostModel(Prices(("natGateway.hour", 0.05m), ("publicIp.staticHour", 0.005m), ("registry.basicDay", 0.2m)));

        var lines = model.IdlePerDay(new CostAssumptions());

        Assert.Equal(2.4m, Line(lines, "NAT gateways"));
        Assert.Equal(0.24m, Line(lines, "Public IPs of the NAT gateways"));
        Assert.Equal(0.2m, Line(lines, "Container registry"));
        Assert.Equal(2.84m, lines.Sum(l => l.Amount));
    }

    [Fact]
    public void Idle_TimersBillTheMinimumSecondAtTheInstanceMemory()
    {
        var model = new CostModel(Prices(("flex.onDemandGbSecond", 0.00001m)));

        var lines = model.IdlePerDay(new CostAssumptions { TimerRunsPerDay = 1728, ControlPlaneMemoryGb = 2m });

        Assert.Equal(1728 * 2m * 0.00001m, Line(lines, "Control plane timers"));
        Assert.DoesNotContain(lines, l => l.Component.Contains("always-ready", StringComparison.Ordinal));
    }

    [Fact]
    public void Idle_AlwaysReadyInstancesAreBilledAroundTheClock()
    {
        var model = new CostModel(Prices(("flex.alwaysReadyBaselineGbSecond", 0.000004m)));

        var lines = model.IdlePerDay(new CostAssumptions { AlwaysReadyInstances = 2, ControlPlaneMemoryGb = 2m });

        Assert.Equal(2 * 2m * 86_400m * 0.000004m, Line(lines, "Control plane always-ready"));
    }

    [Fact]
    public void Idle_GatewayMinimumReplicaIsBilledAtTheIdleRateUnlessToldOtherwise()
    {
        var prices = Prices(("containerApps.idleVcpuSecond", 0.000003m), ("containerApps.activeVcpuSecond", 0.000024m), ("containerApps.memoryGibSecond", 0.000003m));
        var model = new CostModel(prices);

        decimal idle = Line(model.IdlePerDay(new CostAssumptions { GatewayReplicas = 2, GatewayVcpu = 0.5m, GatewayMemoryGib = 1m }), "Gateway");
        decimal active = Line(model.IdlePerDay(new CostAssumptions { GatewayReplicas = 2, GatewayVcpu = 0.5m, GatewayMemoryGib = 1m, GatewayNeverIdle = true }), "Gateway");

        Assert.Equal(2 * 86_400m * (0.5m * 0.000003m + 1m * 0.000003m), idle);
        Assert.Equal(2 * 86_400m * (0.5m * 0.000024m + 1m * 0.000003m), active);
    }

    [Fact]
    public void Idle_FreeGrantsAreSpreadOverTheMonthAndNeverMakeACredit()
    {
        var prices = Prices(("flex.onDemandGbSecond", 0.00001m), ("flex.freeGbSecondsPerMonth", 1_000_000m),
            ("containerApps.idleVcpuSecond", 0.000003m), ("containerApps.memoryGibSecond", 0.000003m),
            ("containerApps.freeVcpuSecondsPerMonth", 30.4375m * 10_000m), ("containerApps.freeGibSecondsPerMonth", 0m));
        var model = new CostModel(prices);

        var lines = model.IdlePerDay(new CostAssumptions { FreeGrants = true, GatewayReplicas = 1, GatewayVcpu = 0.5m, GatewayMemoryGib = 1m });

        Assert.Equal(0m, Line(lines, "Control plane timers"));
        Assert.Equal((43_200m - 10_000m) * 0.000003m + 86_400m * 0.000003m, Line(lines, "Gateway"));
    }

    [Fact]
    public void Idle_StorageCountsRouteReadsTimerReadsAndDataAtRest()
    {
        var model = new CostModel(Prices(("tables.transactionsPer10k", 0.001m), ("files.gbMonth", 0.0608750m), ("blobs.gbMonth", 0m)));

        var lines = model.IdlePerDay(new CostAssumptions { RouteReadsPerSecond = 1m, GatewayReplicas = 1, TimerRunsPerDay = 1000, Students = 50, HomeGibPerStudent = 2m });

        Assert.Equal((86_400m + 2000m) / 10_000m * 0.001m, Line(lines, "State account"));
        Assert.Equal(50 * 2m * 0.0608750m / 30.4375m, Line(lines, "Home shares"));
    }

    [Fact]
    public void Estimate_BreakEvenIsWhereTheDailyBillsMeet()
    {
        var estimate = new CostEstimate([new("idle", "", 3m)], [new("hour", "", 0.08m)], 13m, 0.03m);

        Assert.Equal(200m, estimate.BreakEvenStudentHoursPerDay);
        Assert.Equal(estimate.KubernetesDay(200m), estimate.Day(200m));
        Assert.True(estimate.Day(100m) < estimate.KubernetesDay(100m));
        Assert.True(estimate.Day(300m) > estimate.KubernetesDay(300m));
    }

    [Fact]
    public void Estimate_WithoutACrossing_HasNoBreakEven()
    {
        var cheaper = new CostEstimate([new("idle", "", 3m)], [new("hour", "", 0.02m)], 13m, 0.03m);
        var dearer = new CostEstimate([new("idle", "", 20m)], [new("hour", "", 0.05m)], 13m, 0.03m);

        Assert.Null(cheaper.BreakEvenStudentHoursPerDay);
        Assert.True(cheaper.CheaperWhenIdle);
        Assert.Null(dearer.BreakEvenStudentHoursPerDay);
        Assert.False(dearer.CheaperWhenIdle);
    }

    [Fact]
    public void Estimate_ComparesWithTheKubernetesHubFromThePriceList()
    {
        var model = new CostModel(Prices(("kubernetesHub.idleDay", 13m), ("kubernetesHub.studentHour", 0.03m)));

        var estimate = model.Estimate(new CostAssumptions());

        Assert.Equal((13m, 0.03m), (estimate.KubernetesIdlePerDay, estimate.KubernetesPerStudentHour));
        Assert.Equal(estimate.IdlePerDay.Sum(l => l.Amount), estimate.IdleTotal);
    }
}
