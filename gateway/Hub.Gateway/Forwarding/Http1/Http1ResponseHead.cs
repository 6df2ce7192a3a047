using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Hub.Gateway.Forwarding.Http1;

/// <summary>How a response's body is delimited (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body: a HEAD request, 1xx, 204 or 304.</summary>
    None,
    ContentLength,
    Chunked,

    /// <summary>Neither length nor chunked: the body ends when the backend closes the connection.</summary>
    UntilClose,
}

/// <summary>
/// A backend's response head, parsed strictly, because the backend is a user's server and whatever it sends reaches
/// the user's browser: lines end in CRLF (a bare CR or LF is refused), no line folding, header names are tokens with
/// nothing between name and colon, values are visible ASCII, and the body length is unambiguous (one
/// <c>Content-Length</c> value, <c>Transfer-Encoding</c> only as exactly <c>chunked</c> and never with a length), so
/// no response can be read two ways (RFC 9112 §6.3, §11.2). Any violation is an <see cref="Http1ProtocolException"/>.
/// </summary>
internal sealed class Http1ResponseHead
{
    /// <summary>The largest response head accepted, as Kestrel's and nginx's defaults are of that order.</summary>
    public const int MaxHeadSize = 64 * 1024;

    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
    private static readonly SearchValues<byte> FieldValueBytes = SearchValues.Create(
        [(byte)'\t', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)]);
    private static readonly SearchValues<byte> Digits = SearchValues.Create("0123456789"u8);

    // The names backends commonly send, so parsing them allocates nothing.
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownNames = new[]
    {
        HeaderNames.AcceptRanges, HeaderNames.AccessControlAllowCredentials, HeaderNames.AccessControlAllowHeaders,
        HeaderNames.AccessControlAllowMethods, HeaderNames.AccessControlAllowOrigin, HeaderNames.AccessControlExposeHeaders,
        HeaderNames.Age, HeaderNames.CacheControl, HeaderNames.Connection, HeaderNames.ContentDisposition,
        HeaderNames.ContentEncoding, HeaderNames.ContentLength, HeaderNames.ContentSecurityPolicy, HeaderNames.ContentType,
        HeaderNames.Date, HeaderNames.ETag, HeaderNames.Expires, HeaderNames.KeepAlive, HeaderNames.LastModified,
        HeaderNames.Location, HeaderNames.Pragma, HeaderNames.Server, HeaderNames.SetCookie,
        HeaderNames.StrictTransportSecurity, HeaderNames.TransferEncoding, HeaderNames.Vary, HeaderNames.XContentTypeOptions,
        HeaderNames.XFrameOptions, HeaderNames.XXSSProtection, "Referrer-Policy", "X-Jupyter-Version",
    }.ToFrozenDictionary(name => name, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    public int StatusCode { get; private set; }

    /// <summary>Whether the connection may carry another request after this response's body.</summary>
    public bool KeepAlive { get; private set; }

    public BodyFraming Framing { get; private set; }

    public long ContentLength { get; private set; }

    /// <summary>Every header in order, including the framing and hop-by-hop ones (the forwarder filters).</summary>
    public List<KeyValuePair<string, string>> Headers { get; private set; } = [];

    // The previous response's headers on this connection. A server sends much the same head every time, so a name or
    // value with the same bytes at the same place is taken from here instead of being decoded into a new string.
    private List<KeyValuePair<string, string>> _previous = [];

    /// <summary>
    /// Parses a complete head at the start of <paramref name="buffered"/>; returns its length, or 0 when the blank line
    /// that ends it has not arrived yet.
    /// </summary>
    /// <param name="bodiless">The request was HEAD: whatever the headers say, no body follows.</param>
    public int TryParse(ReadOnlySpan<byte> buffered, bool bodiless)
    {
        int headLength = FindEnd(buffered);
        if (headLength == 0)
        {
            if (buffered.Length >= MaxHeadSize)
            {
                throw new Http1ProtocolException($"the response head is longer than {MaxHeadSize} bytes");
            }
            return 0;
        }
        var head = buffered[..(headLength - 2)];
        int lineEnd = head.IndexOf("\r\n"u8);
        ParseStatusLine(head[..lineEnd], out bool http10);

        (_previous, Headers) = (Headers, _previous);
        Headers.Clear();
        long? length = null;
        bool chunked = false, transferEncoding = false, close = http10;
        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var (name, value) = ParseField(rest[..lineEnd], Headers.Count < _previous.Count ? _previous[Headers.Count] : default);
            rest = rest[(lineEnd + 2)..];
            Headers.Add(new(name, value));
            if (ReferenceEquals(name, HeaderNames.ContentLength))
            {
                length = MergeLength(length, value);
            }
            else if (ReferenceEquals(name, HeaderNames.TransferEncoding))
            {
                if (transferEncoding || !value.Equals("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    throw new Http1ProtocolException($"the response has a transfer coding other than chunked ({value})");
                }
                transferEncoding = chunked = true;
            }
            else if (ReferenceEquals(name, HeaderNames.Connection) && HasCloseToken(value))
            {
                close = true;
            }
        }
        if (transferEncoding && (length is not null || http10))
        {
            throw new Http1ProtocolException(http10 ? "an HTTP/1.0 response with Transfer-Encoding" : "the response has both Transfer-Encoding and Content-Length");
        }

        ContentLength = length ?? 0;
        Framing = bodiless || StatusCode is < 200 or 204 or 304 ? BodyFraming.None
            : chunked ? BodyFraming.Chunked
            : length is not null ? BodyFraming.ContentLength
            : BodyFraming.UntilClose;
        KeepAlive = !close && Framing != BodyFraming.UntilClose;
        return headLength;
    }

    /// <summary>The length up to and including the blank line; 0 when incomplete. Every line must end in CRLF.</summary>
    private static int FindEnd(ReadOnlySpan<byte> buffered)
    {
        int lineStart = 0;
        while (true)
        {
            int lf = buffered[lineStart..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                return 0;
            }
            lf += lineStart;
            if (lf == 0 || buffered[lf - 1] != '\r')
            {
                throw new Http1ProtocolException("the response head has a line that does not end in CRLF");
            }
            if (lf - 1 == lineStart)
            {
                if (lineStart == 0)
                {
                    throw new Http1ProtocolException("the response starts with an empty line");
                }
                return lf + 1;
            }
            lineStart = lf + 1;
        }
    }

    private void ParseStatusLine(ReadOnlySpan<byte> line, out bool http10)
    {
        // HTTP-version SP 3DIGIT [SP reason-phrase]
        http10 = line.StartsWith("HTTP/1.0 "u8);
        if (!(http10 || line.StartsWith("HTTP/1.1 "u8)) || line.Length < 12 || line[9] is < (byte)'1' or > (byte)'5'
            || line.Slice(9, 3).ContainsAnyExcept(Digits) || (line.Length > 12 && line[12] != ' ')
            || (line.Length > 13 && line[13..].ContainsAnyExcept(FieldValueBytes)))
        {
            throw new Http1ProtocolException("the response's status line is not HTTP/1.1 (or 1.0) with a status code");
        }
        StatusCode = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    }

    /// <param name="previous">The header at the same place in the previous response (default when there was none).</param>
    private static (string Name, string Value) ParseField(ReadOnlySpan<byte> line, KeyValuePair<string, string> previous)
    {
        int colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].ContainsAnyExcept(TokenBytes))
        {
            throw new Http1ProtocolException(line.Length > 0 && line[0] is (byte)' ' or (byte)'\t'
                ? "the response head has a folded header line"
                : "the response head has a line that is not a header (name, colon, value)");
        }
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.ContainsAnyExcept(FieldValueBytes))
        {
            throw new Http1ProtocolException("the response has a header value with a control character or a character beyond ASCII");
        }
        var name = line[..colon];
        if (previous.Key is { } previousName && Ascii.Equals(name, previousName))
        {
            return (previousName, Ascii.Equals(value, previous.Value) ? previous.Value : Encoding.Latin1.GetString(value));
        }
        return (NameOf(name), Encoding.Latin1.GetString(value));
    }

    private static string NameOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= 64)
        {
            Span<char> chars = stackalloc char[bytes.Length];
            Encoding.Latin1.GetChars(bytes, chars);
            if (KnownNames.TryGetValue(chars, out string? known))
            {
                return known;
            }
        }
        return Encoding.Latin1.GetString(bytes);
    }

    /// <summary>Content-Length is digits only; several (in one list or repeated) must all be the same (RFC 9110 §8.6).</summary>
    private static long MergeLength(long? previous, string value)
    {
        foreach (var range in value.AsSpan().Split(','))
        {
            var item = value.AsSpan()[range].Trim(" \t");
            if (item.IsEmpty || item.Length > 18 || item.ContainsAnyExceptInRange('0', '9'))
            {
                throw new Http1ProtocolException($"the response's Content-Length is not a number ({value})");
            }
            long length = long.Parse(item, System.Globalization.CultureInfo.InvariantCulture);
            if (previous is { } earlier && earlier != length)
            {
                throw new Http1ProtocolException("the response has two different Content-Length values");
            }
            previous = length;
        }
        return previous!.Value;
    }

    private static bool HasCloseToken(string value)
    {
        foreach (var range in value.AsSpan().Split(','))
        {
            if (value.AsSpan()[range].Trim(" \t").Equals("close", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
