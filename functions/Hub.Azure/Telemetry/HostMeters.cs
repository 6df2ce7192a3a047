using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Hub.Azure.Telemetry;

/// <summary>
/// Keeps an app's metrics to its own meters. OpenTelemetry listens to meters by name, process-wide; when several hosts
/// share a process (tests start a control plane and a gateway side by side) each host's meter factory makes meters of
/// the same names, and without this view every host would export the sum of all of them.
/// </summary>
internal static class HostMeters
{
    /// <summary>A view that drops instruments of meters made by another host's <see cref="IMeterFactory"/>.</summary>
    public static Func<Instrument, MetricStreamConfiguration?> OnlyFrom(IServiceProvider provider)
    {
        var own = provider.GetService<IMeterFactory>();
        return instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own)
            ? MetricStreamConfiguration.Drop
            : null;
    }
}
