using System.Text;

namespace Hub.Functions.Metrics;

/// <summary>A feature's own Prometheus series, appended to <c>/hub/metrics</c> after the hub's (register as a singleton).</summary>
public interface IMetricsSource
{
    /// <summary>Writes complete metric families (HELP, TYPE, samples) in the text exposition format.</summary>
    void Write(StringBuilder text);
}
