using System.Net.Http.Headers;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// Sets <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> on the backend request. With a trusted ingress in front,
/// its values are kept and the peer is appended to <c>X-Forwarded-For</c>; otherwise a client's values are replaced
/// and every other forwarding header it sent is dropped.
/// </summary>
internal static class ForwardedHeaders
{
    public const string For = "X-Forwarded-For";
    public const string Proto = "X-Forwarded-Proto";
    public const string Host = "X-Forwarded-Host";
    private const string Forwarded = "Forwarded";

    public static bool IsForwardedHeader(string name) =>
        name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) || name.Equals(Forwarded, StringComparison.OrdinalIgnoreCase);

    /// <summary>Replaces whatever forwarding headers were copied from the client with the gateway's own.</summary>
    public static void Apply(HttpContext context, HttpRequestHeaders headers, bool trustIncoming)
    {
        var request = context.Request;
        RemoveCopied(headers, trustIncoming);
        string peer = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (trustIncoming)
        {
            string? existingFor = request.Headers[For];
            headers.TryAddWithoutValidation(For, string.IsNullOrEmpty(existingFor) ? peer : existingFor + ", " + peer);
            headers.TryAddWithoutValidation(Proto, FirstOr(request.Headers[Proto], request.Scheme));
            headers.TryAddWithoutValidation(Host, FirstOr(request.Headers[Host], request.Host.Value ?? ""));
        }
        else
        {
            headers.TryAddWithoutValidation(For, peer);
            headers.TryAddWithoutValidation(Proto, request.Scheme);
            headers.TryAddWithoutValidation(Host, request.Host.Value ?? "");
        }
    }

    /// <summary>
    /// The client's address: the peer, or behind a trusted ingress the last <c>X-Forwarded-For</c> entry (the one the
    /// ingress appended; earlier ones are whatever the client claimed).
    /// </summary>
    public static System.Net.IPAddress? ClientOf(HttpContext context, bool trustIncoming)
    {
        if (trustIncoming && context.Request.Headers[For].ToString() is { Length: > 0 } forwarded
            && System.Net.IPAddress.TryParse(forwarded.Split(',')[^1].Trim(), out var address))
        {
            return address;
        }
        return context.Connection.RemoteIpAddress;
    }

    /// <summary>
    /// Drops the forwarding headers YARP copied from the client. The copy is scanned rather than the client's headers:
    /// its enumerator is a struct, while Kestrel's is boxed behind <see cref="IHeaderDictionary"/> on every request.
    /// </summary>
    private static void RemoveCopied(HttpRequestHeaders headers, bool trustIncoming)
    {
        List<string>? copied = null;
        foreach (var header in headers.NonValidated)
        {
            string name = header.Key;
            if (IsForwardedHeader(name) && !(trustIncoming && name.Equals(Forwarded, StringComparison.OrdinalIgnoreCase)))
            {
                (copied ??= []).Add(name);
            }
        }
        if (copied is null)
        {
            return;
        }
        foreach (string name in copied)
        {
            headers.Remove(name);
        }
    }

    private static string FirstOr(Microsoft.Extensions.Primitives.StringValues values, string fallback) =>
        string.IsNullOrEmpty(values.ToString()) ? fallback : values.ToString();
}
