using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Tables;

/// <summary>
/// Times every try of a store call: <c>hub_store_request_duration_seconds</c>, by operation (the HTTP method), table
/// kind (<c>users</c>, <c>servers</c>, …; never a key, which holds user names) and outcome (the status class, or
/// <c>error</c> when no answer came: a timeout, a refused connection). Both apps export it (<see cref="MeterName"/>).
/// </summary>
internal sealed class StoreMetricsPolicy : HttpPipelinePolicy
{
    /// <summary>The meter of the store's instruments.</summary>
    public const string MeterName = "Hub.Store";

    private static readonly string[] Kinds = ["users", "servers", "routes", "sessions", "tokens"];
    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram("hub_store_request_duration_seconds", "s",
        "Time of one try of a Table storage request, by operation, table kind and outcome (2xx, 4xx, 5xx, error).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Record(message, started);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            Record(message, started);
        }
    }

    private static void Record(HttpMessage message, long started)
    {
        string outcome = message.HasResponse ? $"{message.Response.Status / 100}xx" : "error";
        Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("operation", message.Request.Method.Method),
            new KeyValuePair<string, object?>("table", TableKind(message.Request.Uri.Path)),
            new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>The kind of table a request path names (<c>/acct/hubusers(PartitionKey='…')</c> → <c>users</c>).</summary>
    internal static string TableKind(string path)
    {
        string last = path[(path.LastIndexOf('/') + 1)..];
        int paren = last.IndexOf('(', StringComparison.Ordinal);
        string table = paren < 0 ? last : last[..paren];
        if (table.Equals("Tables", StringComparison.Ordinal))
        {
            return "tables";
        }
        foreach (string kind in Kinds)
        {
            if (table.EndsWith(kind, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }
        return "other";
    }
}
