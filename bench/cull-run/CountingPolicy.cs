using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CullRun;

/// <summary>Counts every Table request the hub sends (retries included), by kind, for the entities tables only.</summary>
internal sealed class CountingPolicy : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts);

    public void Reset() => _counts.Clear();

    public override void OnSendingRequest(HttpMessage message) => _counts.AddOrUpdate(Kind(message.Request), 1, (_, n) => n + 1);

    /// <summary>query (one page), read (one entity), insert, replace, merge, delete, batch, other.</summary>
    internal static string Kind(Request request)
    {
        string path = request.Uri.Path;
        string table = path.TrimEnd('/')[(path.TrimEnd('/').LastIndexOf('/') + 1)..];
        bool entity = table.EndsWith(')') && table.Contains("PartitionKey=", StringComparison.Ordinal);
        string method = request.Method.Method;
        return method switch
        {
            "GET" when entity => "read",
            "GET" => "query",
            "POST" when table.StartsWith("$batch", StringComparison.Ordinal) => "batch",
            "POST" when table.StartsWith("Tables", StringComparison.Ordinal) => "other",
            "POST" => "insert",
            "PUT" => "replace",
            "MERGE" or "PATCH" => "merge",
            "DELETE" => "delete",
            _ => "other",
        };
    }
}
