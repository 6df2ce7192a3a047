using System.Diagnostics;
using System.Net;

namespace StoreFreeze;

/// <summary>
/// One measured period: closed-loop notebook clients (each sends its next request when the last one is answered) and
/// one hub API client at a fixed pace. A request that gets no answer within its client's timeout counts as hung.
/// </summary>
internal sealed class Period
{
    /// <summary>A bound on the requests of one period, whatever the pace.</summary>
    private const int MaxRequests = 500_000;

    public Latencies Notebook { get; } = new();
    public Latencies Api { get; } = new();
    public int NotebookOther { get; private set; }
    public int NotebookHung { get; private set; }
    public int ApiHung { get; private set; }
    public Dictionary<int, int> ApiStatuses { get; } = [];
    public TimeSpan Length { get; private set; }

    public double NotebookRate => Notebook.Count / Length.TotalSeconds;

    public static async Task<Period> RunAsync(HttpClient notebook, string notebookPath, HttpClient api, string apiPath, Options options, TimeSpan length)
    {
        var period = new Period();
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < length && period.Notebook.Count + period.NotebookOther < MaxRequests)
            {
                var (status, latency) = await TimedAsync(notebook, notebookPath);
                lock (period)
                {
                    if (status == 200)
                    {
                        period.Notebook.Add(latency);
                    }
                    else if (status == 0)
                    {
                        period.NotebookHung++;
                    }
                    else
                    {
                        period.NotebookOther++;
                    }
                }
            }
        })).ToList();
        var apiCalls = new List<Task>();
        while (clock.Elapsed < length)
        {
            apiCalls.Add(Task.Run(async () =>
            {
                var (status, latency) = await TimedAsync(api, apiPath);
                lock (period)
                {
                    if (status == 0)
                    {
                        period.ApiHung++;
                        return;
                    }
                    period.Api.Add(latency);
                    period.ApiStatuses[status] = period.ApiStatuses.GetValueOrDefault(status) + 1;
                }
            }));
            await Task.Delay(options.ApiInterval);
        }
        await Task.WhenAll(clients);
        period.Length = clock.Elapsed;
        await Task.WhenAll(apiCalls);
        return period;
    }

    public string Row(string label) =>
        $"| {label} | {NotebookRate:0} | {Ms(Notebook.Percentile(0.5))} | {Ms(Notebook.Percentile(0.99))} | {NotebookOther + NotebookHung} | " +
        $"{Ms(Api.Percentile(0.5))} | {Ms(Api.Percentile(0.99))} | {string.Join(", ", ApiStatuses.OrderBy(s => s.Key).Select(s => $"{s.Value}× {s.Key}"))}{(ApiHung > 0 ? $", {ApiHung} hung" : "")} |";

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:0.0} ms";

    /// <summary>The status (0: no answer within the client's timeout) and the time to the whole answer.</summary>
    private static async Task<(int Status, TimeSpan Latency)> TimedAsync(HttpClient client, string path)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            return ((int)response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is TaskCanceledException or HttpRequestException)
        {
            return (ex is HttpRequestException { StatusCode: HttpStatusCode code } ? (int)code : 0, Stopwatch.GetElapsedTime(started));
        }
    }
}

/// <summary>Latencies of one kind of request, for percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<TimeSpan> _values = [];

    public int Count
    {
        get
        {
            lock (_values)
            {
                return _values.Count;
            }
        }
    }

    public void Add(TimeSpan value)
    {
        lock (_values)
        {
            _values.Add(value);
        }
    }

    public int CountWhere(Func<TimeSpan, bool> predicate)
    {
        lock (_values)
        {
            return _values.Count(predicate);
        }
    }

    public TimeSpan Percentile(double share)
    {
        lock (_values)
        {
            if (_values.Count == 0)
            {
                return TimeSpan.Zero;
            }
            var sorted = _values.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];
        }
    }
}
