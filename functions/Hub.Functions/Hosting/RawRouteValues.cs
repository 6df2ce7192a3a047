using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Hub.Functions.Hosting;

/// <summary>
/// Route values as the names they stand for: each value that fills a whole path segment is read from the request
/// target as sent and decoded exactly once. ASP.NET Core decodes the path before matching but keeps <c>%2F</c>, so
/// the route value of <c>/hub/spawn-pending/a%2Fb</c> would be <c>a%2Fb</c>, another user than <c>a/b</c>; decoding
/// that value a second time would instead turn a user literally named <c>a%2Fb</c> into <c>a/b</c>.
/// </summary>
public static class RawRouteValues
{
    /// <summary>The middleware: runs after routing has chosen the endpoint, before the endpoint binds its parameters.</summary>
    public static Task DecodeOnceAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint() is RouteEndpoint endpoint
            && context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/' && raw.Contains('%', StringComparison.Ordinal))
        {
            Apply(endpoint.RoutePattern, raw, context.Request.Path.Value ?? "", context.Request.RouteValues);
        }
        return next(context);
    }

    /// <summary>Replaces the values of <paramref name="pattern"/>'s single-parameter segments with their raw segments, decoded once.</summary>
    public static void Apply(RoutePattern pattern, string rawTarget, string decodedPath, RouteValueDictionary values)
    {
        int query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string[] raw = (query < 0 ? rawTarget : rawTarget[..query]).Split('/');
        // The server removed dot segments or otherwise reshaped the path: the raw segments no longer line up with the route's.
        if (raw.Length != decodedPath.Split('/').Length)
        {
            return;
        }
        for (int i = 0; i < pattern.PathSegments.Count && i + 1 < raw.Length; i++)
        {
            if (pattern.PathSegments[i].Parts is [RoutePatternParameterPart { IsCatchAll: false } parameter] && values.ContainsKey(parameter.Name))
            {
                values[parameter.Name] = Uri.UnescapeDataString(raw[i + 1]);
            }
        }
    }
}
