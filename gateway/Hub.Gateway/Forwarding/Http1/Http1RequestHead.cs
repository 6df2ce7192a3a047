using System.Buffers;
using System.Text;

namespace Hub.Gateway.Forwarding.Http1;

/// <summary>
/// The head of a bodiless request, written straight into a pooled buffer: request line, headers, blank line. Values are
/// sent as Latin-1 (what HTTP/1.1 carries); a value with a line break, another control character or a character beyond
/// Latin-1 is refused rather than sent, so a client cannot smuggle a header or a second request into the connection.
/// </summary>
internal sealed class Http1RequestHead : IHeaderSink, IDisposable
{
    private static readonly SearchValues<char> FieldValueChars = SearchValues.Create(
        "\t" + string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c)) + string.Concat(Enumerable.Range(0x80, 0x80).Select(c => (char)c)));
    private static readonly SearchValues<char> TargetChars = SearchValues.Create(string.Concat(Enumerable.Range(0x21, 0x7F - 0x21).Select(c => (char)c)));

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _length;

    /// <summary>Whether a request target can go on the request line as it is (visible ASCII, no spaces).</summary>
    public static bool IsValidTarget(ReadOnlySpan<char> target) => target.Length > 0 && !target.ContainsAnyExcept(TargetChars);

    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    public void StartLine(string method, string pathPrefix, string target)
    {
        Append(method);
        Append(" ");
        Append(pathPrefix);
        Append(target);
        Append(" HTTP/1.1\r\n");
    }

    /// <summary>Adds a header line; the name comes from Kestrel or the gateway and is a valid token.</summary>
    public void Add(string name, string value)
    {
        if (value.AsSpan().ContainsAnyExcept(FieldValueChars))
        {
            throw new InvalidHeaderValueException(name);
        }
        Append(name);
        Append(": ");
        Append(value);
        Append("\r\n");
    }

    public void End() => Append("\r\n");

    private void Append(string text)
    {
        if (_length + text.Length > _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + text.Length));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        _length += Encoding.Latin1.GetBytes(text, _buffer.AsSpan(_length));
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

/// <summary>A client's header value the gateway will not put on the wire (a control character or a character beyond Latin-1).</summary>
internal sealed class InvalidHeaderValueException(string name) : Exception($"the request header {name} has a character that cannot be forwarded");
