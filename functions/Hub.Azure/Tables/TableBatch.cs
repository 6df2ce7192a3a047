using System.Globalization;
using System.Text;
using Azure;

namespace Hub.Azure.Tables;

/// <summary>
/// The multipart wire format of entity group transactions (<c>POST $batch</c>): one changeset holding one
/// <c>application/http</c> part per operation, and the matching multipart response.
/// </summary>
internal static class TableBatch
{
    public const int MaxOperations = 100;

    public sealed record Request(string ContentType, BinaryData Body);

    public sealed record PartResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            throw new ArgumentException("A transaction needs at least one operation.", nameof(actions));
        }
        if (actions.Count > MaxOperations)
        {
            throw new ArgumentException($"A transaction holds at most {MaxOperations} operations; this one has {actions.Count}.", nameof(actions));
        }
        string partition = actions[0].Entity.PartitionKey;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (!string.Equals(action.Entity.PartitionKey, partition, StringComparison.Ordinal))
            {
                throw new ArgumentException("All operations of a transaction must be in one partition.", nameof(actions));
            }
            if (!rows.Add(action.Entity.RowKey))
            {
                throw new ArgumentException("An entity may appear only once in a transaction.", nameof(actions));
            }
        }
    }

    public static Request Build(string serviceUrl, string table, IReadOnlyList<TableTransactionAction> actions)
    {
        string batchBoundary = "batch_" + Guid.NewGuid().ToString("N");
        string changesetBoundary = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append("--").Append(batchBoundary).Append("\r\n");
        body.Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append("\r\n\r\n");

        foreach (var action in actions)
        {
            body.Append("--").Append(changesetBoundary).Append("\r\n");
            body.Append("Content-Type: application/http\r\n");
            body.Append("Content-Transfer-Encoding: binary\r\n\r\n");

            var entity = action.Entity;
            string entityUrl = serviceUrl + table + "(PartitionKey='" + TableClient.EscapeKey(entity.PartitionKey)
                + "',RowKey='" + TableClient.EscapeKey(entity.RowKey) + "')";
            (string method, string url, bool hasBody, bool conditional) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", serviceUrl + table, true, false),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUrl, true, true),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUrl, true, true),
                TableTransactionActionType.UpsertMerge => ("MERGE", entityUrl, true, false),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUrl, true, false),
                TableTransactionActionType.Delete => ("DELETE", entityUrl, false, true),
                _ => throw new ArgumentOutOfRangeException(nameof(actions), action.ActionType, "unknown action type"),
            };

            body.Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n");
            body.Append("Accept: ").Append(TableProtocolHeadersPolicy.JsonMinimalMetadata).Append("\r\n");
            body.Append("DataServiceVersion: 3.0\r\n");
            if (conditional)
            {
                body.Append("If-Match: ").Append(action.IfMatch == default ? "*" : action.IfMatch.ToString()).Append("\r\n");
            }
            if (action.ActionType == TableTransactionActionType.Add)
            {
                body.Append("Prefer: return-no-content\r\n");
            }
            if (hasBody)
            {
                body.Append("Content-Type: application/json\r\n\r\n");
                body.Append(TableEntityJson.Write(entity).ToString()).Append("\r\n");
            }
            else
            {
                body.Append("\r\n");
            }
        }

        body.Append("--").Append(changesetBoundary).Append("--\r\n");
        body.Append("--").Append(batchBoundary).Append("--\r\n");
        return new Request("multipart/mixed; boundary=" + batchBoundary, BinaryData.FromString(body.ToString()));
    }

    /// <summary>Reads every operation response, looking inside the changeset response where there is one.</summary>
    /// <exception cref="FormatException">The body is not the multipart response the protocol describes.</exception>
    public static IReadOnlyList<PartResponse> ParseResponse(string? contentType, BinaryData body)
    {
        string boundary = Boundary(contentType) ?? throw new FormatException("the response is not multipart (no boundary in its Content-Type)");
        var responses = new List<PartResponse>();
        foreach (var part in SplitParts(body.ToString(), boundary))
        {
            var (headers, content) = SplitHeaders(part);
            string partType = headers.GetValueOrDefault("Content-Type", "");
            if (partType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                string inner = Boundary(partType) ?? throw new FormatException("a changeset response has no boundary");
                foreach (var innerPart in SplitParts(content, inner))
                {
                    responses.Add(ParseHttpPart(SplitHeaders(innerPart).Content));
                }
            }
            else
            {
                responses.Add(ParseHttpPart(content));
            }
        }
        return responses;
    }

    /// <summary>Success when every operation answered 2xx; otherwise the first failure (nothing was applied).</summary>
    public static TableTransactionResult? ToResult(IReadOnlyList<PartResponse> parts, int operationCount)
    {
        if (parts.Count == 0)
        {
            return null;
        }
        var failure = parts.FirstOrDefault(p => p.Status >= 300);
        if (failure is null)
        {
            if (parts.Count != operationCount)
            {
                return null;
            }
            var etags = parts.Select(p => p.Headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : default).ToArray();
            return new TableTransactionResult(true, etags, null, 0, null, null);
        }

        TableErrorParser.TryReadODataError(BinaryData.FromString(failure.Body), out string? code, out string? message);
        int? index = FailedIndex(message);
        if (index is null && parts.Count == operationCount)
        {
            index = IndexOf(parts, failure);
        }
        if (index is not null && (index < 0 || index >= operationCount))
        {
            index = null;
        }
        return new TableTransactionResult(false, [], index, failure.Status, code, message);
    }

    private static int IndexOf(IReadOnlyList<PartResponse> parts, PartResponse part)
    {
        for (int i = 0; i < parts.Count; i++)
        {
            if (ReferenceEquals(parts[i], part))
            {
                return i;
            }
        }
        return -1;
    }

    // The service reports the failing operation as "<index>:<message>".
    private static int? FailedIndex(string? message)
    {
        if (message is null)
        {
            return null;
        }
        int colon = message.IndexOf(':');
        return colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : null;
    }

    private static string? Boundary(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }
        foreach (var parameter in contentType.Split(';', StringSplitOptions.TrimEntries))
        {
            if (parameter.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            {
                return parameter[9..].Trim('"');
            }
        }
        return null;
    }

    private static List<string> SplitParts(string body, string boundary)
    {
        string delimiter = "--" + boundary;
        var parts = new List<string>();
        int index = body.IndexOf(delimiter, StringComparison.Ordinal);
        if (index < 0)
        {
            throw new FormatException("the multipart body does not contain its boundary");
        }
        while (true)
        {
            int start = index + delimiter.Length;
            if (string.CompareOrdinal(body, start, "--", 0, 2) == 0)
            {
                return parts;
            }
            int lineEnd = body.IndexOf('\n', start);
            if (lineEnd < 0)
            {
                throw new FormatException("the multipart body ends inside a boundary line");
            }
            int next = body.IndexOf(delimiter, lineEnd + 1, StringComparison.Ordinal);
            if (next < 0)
            {
                throw new FormatException("the multipart body has no closing boundary");
            }
            parts.Add(body[(lineEnd + 1)..next]);
            index = next;
        }
    }

    private static (Dictionary<string, string> Headers, string Content) SplitHeaders(string part)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var reader = new StringReader(part);
        int consumed = 0;
        while (reader.ReadLine() is { } line)
        {
            consumed += line.Length + 1;
            if (consumed < part.Length && part[consumed - 1] == '\r')
            {
                consumed++;
            }
            if (line.Length == 0)
            {
                break;
            }
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            else if (!line.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                throw new FormatException($"'{Shorten(line)}' is not a header line");
            }
            else
            {
                headers[":status-line"] = line;
            }
        }
        return (headers, consumed >= part.Length ? "" : part[consumed..]);
    }

    private static PartResponse ParseHttpPart(string content)
    {
        var (headers, body) = SplitHeaders(content);
        if (!headers.TryGetValue(":status-line", out var statusLine))
        {
            throw new FormatException("an operation response has no HTTP status line");
        }
        var fields = statusLine.Split(' ', 3);
        if (fields.Length < 2 || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            throw new FormatException($"'{Shorten(statusLine)}' is not an HTTP status line");
        }
        headers.Remove(":status-line");
        return new PartResponse(status, headers, body.TrimEnd('\r', '\n'));
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
