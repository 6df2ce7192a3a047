using System.Diagnostics.Metrics;
using Hub.Gateway.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Hub.Gateway.Tests.Support;

/// <summary>Reads what one of a running gateway's counters reports now, summed over its labels.</summary>
internal static class GatewayInstruments
{
    public static long Read(RunningGateway gateway, string instrument)
    {
        using var collector = new MetricCollector<long>(gateway.Get<IMeterFactory>(), GatewayMetrics.MeterName, instrument);
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot().Sum(m => m.Value);
    }
}
