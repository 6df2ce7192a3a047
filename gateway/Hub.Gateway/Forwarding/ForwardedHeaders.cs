namespace Hub.Gateway.Forwarding;

/// <summary>
/// Sets <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> on the backend request. With a trusted ingress in front,
/// its values are kept and the peer is appended to <c>X-Forwarded-For</c>; otherwise a client's values are replaced.
/// </summary>
internal static class ForwardedHeaders
{
    public const string For = "X-Forwarded-For";
    public const string Proto = "X-Forwarded-Proto";
    public const string Host = "X-Forwarded-Host";

    public static bool IsForwardedHeader(string name) =>
        name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) || name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase);

    public static void Apply<TSink>(HttpContext context, TSink headers, bool trustIncoming)
        where TSink : IHeaderSink
    {
        var request = context.Request;
        string peer = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (trustIncoming)
        {
            string? existingFor = request.Headers[For];
            headers.Add(For, string.IsNullOrEmpty(existingFor) ? peer : existingFor + ", " + peer);
            headers.Add(Proto, FirstOr(request.Headers[Proto], request.Scheme));
            headers.Add(Host, FirstOr(request.Headers[Host], request.Host.Value ?? ""));
            string? forwarded = request.Headers["Forwarded"];
            if (!string.IsNullOrEmpty(forwarded))
            {
                headers.Add("Forwarded", forwarded);
            }
        }
        else
        {
            headers.Add(For, peer);
            headers.Add(Proto, request.Scheme);
            headers.Add(Host, request.Host.Value ?? "");
        }
    }

    private static string FirstOr(Microsoft.Extensions.Primitives.StringValues values, string fallback) =>
        string.IsNullOrEmpty(values.ToString()) ? fallback : values.ToString();
}
