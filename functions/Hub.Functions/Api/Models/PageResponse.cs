using System.Text.Json.Serialization;

namespace Hub.Functions.Api.Models;

/// <summary>JupyterHub's pagination envelope (<c>application/jupyterhub-pagination+json</c>).</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, [property: JsonPropertyName("_pagination")] PaginationResponse Pagination);

/// <summary>Where a page stands; <c>next</c> is <c>null</c> on the last page.</summary>
public sealed record PaginationResponse(int Offset, int Limit, int Total, NextPageResponse? Next);

/// <summary>The next page: its offset and limit, and its URL under the hub's public URL.</summary>
public sealed record NextPageResponse(int Offset, int Limit, string Url);
