using System.Globalization;
using System.Text;

namespace Hub.Gateway.Metrics;

/// <summary>A lock-free Prometheus histogram of seconds with fixed buckets.</summary>
internal sealed class Histogram(double[] upperBounds)
{
    private readonly long[] _counts = new long[upperBounds.Length + 1];
    private long _sumMicroseconds;

    public void Observe(TimeSpan duration)
    {
        double seconds = duration.TotalSeconds;
        int bucket = 0;
        while (bucket < upperBounds.Length && seconds > upperBounds[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumMicroseconds, (long)(duration.Ticks / 10));
    }

    public void WriteTo(StringBuilder text, string name, string labels)
    {
        long cumulative = 0;
        for (int i = 0; i < upperBounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}le=\"{upperBounds[i].ToString(CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
        }
        cumulative += Volatile.Read(ref _counts[^1]);
        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}le=\"+Inf\"}} {cumulative}\n");
        string trimmed = labels.TrimEnd(',');
        string braces = trimmed.Length == 0 ? "" : "{" + trimmed + "}";
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {(Volatile.Read(ref _sumMicroseconds) / 1e6).ToString(CultureInfo.InvariantCulture)}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}_count{braces} {cumulative}\n");
    }
}
