namespace Hub.Azure.Tables;

/// <summary>Where the next page of a query starts, from the <c>x-ms-continuation-*</c> response headers.</summary>
public sealed record TableContinuation(string NextPartitionKey, string? NextRowKey);

/// <summary>One page of query results. A page may be empty while <see cref="Continuation"/> says there is more.</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Items, TableContinuation? Continuation);
