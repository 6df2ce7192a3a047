using System.Globalization;
using Hub.Functions.Api.Models;
using Microsoft.AspNetCore.WebUtilities;

namespace Hub.Functions.Api;

/// <summary>
/// JupyterHub's list paging: <c>offset</c> and <c>limit</c> (capped), and, when the client accepts
/// <c>application/jupyterhub-pagination+json</c>, the <c>{"items": …, "_pagination": …}</c> envelope whose
/// <c>next.url</c> starts with the hub's public URL. Shared by <c>/users</c> and <c>/groups</c>.
/// </summary>
public static class ApiPaging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const string PaginationMediaType = "application/jupyterhub-pagination+json";

    /// <summary>Reads offset and limit (limit capped at <see cref="MaxLimit"/>), or answers the problem.</summary>
    public static bool TryRead(IQueryCollection query, out int offset, out int limit, out IResult? problem)
    {
        problem = null;
        if (!TryNumber(query["offset"], 0, out offset, 0) || !TryNumber(query["limit"], 1, out limit, DefaultLimit))
        {
            problem = ApiProblem.BadRequest("offset and limit must be non-negative whole numbers (limit at least 1).");
            limit = 0;
            return false;
        }
        limit = Math.Min(limit, MaxLimit);
        return true;
    }

    /// <summary>
    /// One page of <paramref name="total"/> items: a plain array, or the pagination envelope when asked for (always
    /// with <paramref name="envelope"/>, as JupyterHub's sharing lists).
    /// </summary>
    public static IResult Page<T>(HttpContext context, Core.Hosting.HubOptions hub, string path, IReadOnlyList<T> page, int offset, int limit, int total, bool envelope = false)
        where T : notnull
    {
        bool paginated = envelope || context.Request.Headers.Accept.ToString().Contains(PaginationMediaType, StringComparison.OrdinalIgnoreCase);
        if (!paginated)
        {
            return ApiJson.Ok(page);
        }
        NextPageResponse? next = null;
        if (offset + limit < total)
        {
            var parameters = context.Request.Query.Where(p => p.Key is not ("offset" or "limit")).ToDictionary(p => p.Key, p => p.Value.ToString());
            parameters["offset"] = (offset + limit).ToString(CultureInfo.InvariantCulture);
            parameters["limit"] = limit.ToString(CultureInfo.InvariantCulture);
            string url = QueryHelpers.AddQueryString(new Uri(hub.PublicUrl, path).AbsoluteUri, parameters!);
            next = new NextPageResponse(offset + limit, limit, url);
        }
        return ApiJson.Ok(new PageResponse<T>(page, new PaginationResponse(offset, limit, total, next)));
    }

    private static bool TryNumber(Microsoft.Extensions.Primitives.StringValues raw, int min, out int value, int fallback)
    {
        value = fallback;
        if (raw.Count == 0 || string.IsNullOrEmpty(raw.ToString()))
        {
            return true;
        }
        return double.TryParse(raw.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            && number >= min && number <= int.MaxValue && number == Math.Floor(number)
            && (value = (int)number) >= min;
    }
}
