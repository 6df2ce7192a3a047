using System.Diagnostics.Metrics;
using Hub.Azure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Hub.Azure.Tests.Telemetry;

public sealed class HostMetersTests
{
    [Fact]
    public void OnlyFrom_SameMeterNameInAnotherHost_IsDropped()
    {
        using var own = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var view = HostMeters.OnlyFrom(own);

        var ours = own.GetRequiredService<IMeterFactory>().Create("Hub.Test").CreateCounter<long>("hub_test_total");
        var theirs = other.GetRequiredService<IMeterFactory>().Create("Hub.Test").CreateCounter<long>("hub_test_total");
        using var unscoped = new Meter("Hub.Test");

        Assert.Null(view(ours));
        Assert.Same(MetricStreamConfiguration.Drop, view(theirs));
        Assert.Null(view(unscoped.CreateCounter<long>("hub_test_total")));
    }
}
