using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Tables;

/// <summary>
/// Operations on one table over the Table REST protocol. Each method builds its request and switches on the
/// documented status codes: expected outcomes (missing entity, changed ETag, duplicate insert) are values;
/// anything else is a <see cref="RequestFailedException"/> carrying the service's error code.
/// </summary>
public sealed class TableClient
{
    /// <summary>The most entities the service returns in one page.</summary>
    public const int MaxPageSize = 1000;

    private static readonly RequestMethod Patch = new("PATCH");

    private readonly HttpPipeline _pipeline;
    private readonly string _tableUrl;
    private readonly string _serviceUrl;

    internal TableClient(HttpPipeline pipeline, Uri serviceEndpoint, string name)
    {
        _pipeline = pipeline;
        _serviceUrl = serviceEndpoint.AbsoluteUri;
        _tableUrl = _serviceUrl + name;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Creates the table; an existing table is success.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, _serviceUrl + "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        message.Request.Content = RequestContent.Create(BinaryData.FromObjectAsJson(new { TableName = Name }));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case 201 or 204:
                return;
            case 409 when ErrorCode(response) == "TableAlreadyExists":
                return;
            default:
                throw Failure(response);
        }
    }

    /// <summary>Deletes the table; a missing table is success.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, _serviceUrl + "Tables('" + EscapeKey(Name) + "')");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (204 or 404))
        {
            throw Failure(response);
        }
    }

    /// <summary>Reads one entity; <c>null</c> when there is none with these keys.</summary>
    public async Task<TableEntity?> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, EntityUrl(partitionKey, rowKey));
        AppendSelect(message.Request, select);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case 200:
                return ParseBody(response, root => TableEntityJson.Read(root, HeaderOrNull(response, "ETag")));
            case 404 when ErrorCode(response) is "ResourceNotFound" or null:
                return null;
            default:
                throw Failure(response);
        }
    }

    /// <summary>Inserts a new entity; <see cref="TableWriteStatus.Conflict"/> when one with these keys exists.</summary>
    public async Task<TableWriteResult> InsertAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, _tableUrl);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetBody(message.Request, entity);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            201 or 204 => Written(response),
            409 when ErrorCode(response) == "EntityAlreadyExists" => TableWriteResult.Of(TableWriteStatus.Conflict),
            _ => throw Failure(response),
        };
    }

    /// <summary>Inserts the entity or updates the one with its keys, whatever its version.</summary>
    /// <returns>The entity's new ETag.</returns>
    public async Task<ETag> UpsertAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(mode == TableUpdateMode.Merge ? Patch : RequestMethod.Put, EntityUrl(entity.PartitionKey, entity.RowKey));
        SetBody(message.Request, entity);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status is 204 or 200 ? Written(response).ETag : throw Failure(response);
    }

    /// <summary>
    /// Updates an existing entity if its version is still <paramref name="ifMatch"/> (<see cref="ETag.All"/>: any version).
    /// </summary>
    public async Task<TableWriteResult> UpdateAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(mode == TableUpdateMode.Merge ? Patch : RequestMethod.Put, EntityUrl(entity.PartitionKey, entity.RowKey));
        message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, IfMatchValue(ifMatch));
        SetBody(message.Request, entity);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return ConditionalOutcome(response);
    }

    /// <summary>Deletes the entity if its version is still <paramref name="ifMatch"/> (<c>default</c> or <see cref="ETag.All"/>: any version).</summary>
    public async Task<TableWriteResult> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, EntityUrl(partitionKey, rowKey));
        message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, IfMatchValue(ifMatch));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return ConditionalOutcome(response);
    }

    /// <summary>All entities matching the filter, following continuations across pages (and across empty pages).</summary>
    /// <param name="filter">An OData filter, best built with <see cref="TableFilter.Of"/>; <c>null</c> for all.</param>
    /// <param name="select">Properties to return; <c>null</c> for all.</param>
    /// <param name="pageSize">Entities per request, at most <see cref="MaxPageSize"/>.</param>
    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter = null,
        IEnumerable<string>? select = null,
        int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var selected = select?.ToArray();
        TableContinuation? continuation = null;
        do
        {
            var page = await QueryPageAsync(filter, selected, pageSize, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Items)
            {
                yield return entity;
            }
            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    /// <summary>One page of a query: at most <paramref name="top"/> entities from where <paramref name="continuation"/> points.</summary>
    public async Task<TablePage> QueryPageAsync(
        string? filter,
        IEnumerable<string>? select,
        int? top,
        TableContinuation? continuation,
        CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, $"A page holds 1 to {MaxPageSize} entities.");
        }

        using var message = CreateMessage(RequestMethod.Get, _tableUrl + "()");
        var uri = message.Request.Uri;
        if (!string.IsNullOrEmpty(filter))
        {
            uri.AppendQuery("$filter", filter, escapeValue: true);
        }
        AppendSelect(message.Request, select);
        if (top is int count)
        {
            uri.AppendQuery("$top", count.ToString(CultureInfo.InvariantCulture), escapeValue: false);
        }
        if (continuation is not null)
        {
            uri.AppendQuery("NextPartitionKey", continuation.NextPartitionKey, escapeValue: true);
            if (continuation.NextRowKey is not null)
            {
                uri.AppendQuery("NextRowKey", continuation.NextRowKey, escapeValue: true);
            }
        }

        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200)
        {
            throw Failure(response);
        }

        var items = ParseBody(response, root =>
        {
            if (!root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("the query response has no 'value' array");
            }
            var list = new List<TableEntity>(value.GetArrayLength());
            foreach (var element in value.EnumerateArray())
            {
                list.Add(TableEntityJson.Read(element));
            }
            return list;
        });

        string? nextPartition = HeaderOrNull(response, "x-ms-continuation-NextPartitionKey");
        var next = nextPartition is null ? null : new TableContinuation(nextPartition, HeaderOrNull(response, "x-ms-continuation-NextRowKey"));
        return new TablePage(items, next);
    }

    /// <summary>
    /// Applies up to 100 operations on entities of one partition atomically (an entity group transaction).
    /// A refused operation (missing entity, changed ETag, duplicate insert) is reported in the result and
    /// nothing is applied; a malformed transaction is an exception.
    /// </summary>
    public async Task<TableTransactionResult> SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        TableBatch.Validate(actions);
        var batch = TableBatch.Build(_serviceUrl, Name, actions);
        using var message = CreateMessage(RequestMethod.Post, _serviceUrl + "$batch");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, batch.ContentType);
        message.Request.Headers.SetValue(HttpHeader.Names.Accept, TableProtocolHeadersPolicy.JsonMinimalMetadata);
        message.Request.Content = RequestContent.Create(batch.Body);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 202)
        {
            throw Failure(response);
        }

        IReadOnlyList<TableBatch.PartResponse> parts;
        try
        {
            parts = TableBatch.ParseResponse(HeaderOrNull(response, "Content-Type"), response.Content);
        }
        catch (FormatException ex)
        {
            throw Malformed(response, ex);
        }
        return TableBatch.ToResult(parts, actions.Count) ?? throw Malformed(response, new FormatException("the batch response holds no operation responses"));
    }

    private HttpMessage CreateMessage(RequestMethod method, string url)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(url));
        return message;
    }

    private async ValueTask<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    private string EntityUrl(string partitionKey, string rowKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        return _tableUrl + "(PartitionKey='" + EscapeKey(partitionKey) + "',RowKey='" + EscapeKey(rowKey) + "')";
    }

    /// <summary>A key inside a quoted OData literal in a URL: quotes doubled, then percent-encoded.</summary>
    internal static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static void AppendSelect(Request request, IEnumerable<string>? select)
    {
        if (select is not null)
        {
            string joined = string.Join(',', select);
            if (joined.Length > 0)
            {
                request.Uri.AppendQuery("$select", joined, escapeValue: true);
            }
        }
    }

    private static void SetBody(Request request, TableEntity entity)
    {
        request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        request.Content = RequestContent.Create(TableEntityJson.Write(entity));
    }

    private static string IfMatchValue(ETag ifMatch) => ifMatch == default ? "*" : ifMatch.ToString();

    private static TableWriteResult ConditionalOutcome(Response response) => response.Status switch
    {
        200 or 204 => Written(response),
        412 => TableWriteResult.Of(TableWriteStatus.PreconditionFailed),
        404 when ErrorCode(response) is "ResourceNotFound" or null => TableWriteResult.Of(TableWriteStatus.NotFound),
        _ => throw Failure(response),
    };

    private static TableWriteResult Written(Response response) =>
        new(TableWriteStatus.Succeeded, HeaderOrNull(response, "ETag") is { } etag ? new ETag(etag) : default);

    private static string? HeaderOrNull(Response response, string name) =>
        response.Headers.TryGetValue(name, out string? value) ? value : null;

    private static string? ErrorCode(Response response)
    {
        if (TableErrorParser.TryReadODataError(response.Content, out var code, out _) && code is not null)
        {
            return code;
        }
        return HeaderOrNull(response, "x-ms-error-code");
    }

    private static T ParseBody<T>(Response response, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            return read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            throw Malformed(response, ex);
        }
    }

    private static RequestFailedException Failure(Response response) =>
        new(response, null, TableErrorParser.Instance);

    private static RequestFailedException Malformed(Response response, Exception inner) =>
        new(response.Status, $"The table service answered {response.Status} with a body that could not be read: {inner.Message}", "MalformedResponse", inner);
}
