using System.Buffers.Binary;
using System.Text.Json;
using Hub.Core.Store;

namespace Hub.Gateway.Activity;

/// <summary>
/// A kernel's channels WebSocket: finds the <c>msg_type</c> in the header of each message the client sends and counts
/// <c>execute_request</c> (a cell run). Both of Jupyter's kernel WebSocket protocols: the default JSON text frames
/// (<see cref="KernelJsonScanner"/>, which reads through the message without holding it, since the header may come
/// after a long <c>content</c>) and <c>v1.kernel.websocket.jupyter.org</c> binary frames, whose offset table leads to
/// the header near the start. Without the v1 protocol, binary frames are messages with binary buffers (widget
/// updates), never a cell run, and are not read.
/// </summary>
internal sealed class KernelMessageInspector(bool v1Protocol) : IMessageInspector
{
    /// <summary>A v1 message whose header ends later than this is not read (real headers take a few hundred bytes).</summary>
    internal const int MaxV1Prefix = 4096;

    private static ReadOnlySpan<byte> ExecuteRequest => "execute_request"u8;

    private readonly KernelJsonScanner _json = new(ExecuteRequest);
    private byte[]? _prefix;
    private int _prefixLength;
    private bool _binary;

    public ActivityKind Kind => ActivityKind.Execute;

    public void Begin(bool binary)
    {
        _binary = binary;
        _json.Reset();
        _prefixLength = 0;
    }

    public bool? Feed(ReadOnlySpan<byte> payload)
    {
        if (!_binary)
        {
            return _json.Feed(payload);
        }
        if (!v1Protocol)
        {
            return false;
        }
        _prefix ??= new byte[MaxV1Prefix];
        int take = Math.Min(payload.Length, MaxV1Prefix - _prefixLength);
        payload[..take].CopyTo(_prefix.AsSpan(_prefixLength));
        _prefixLength += take;
        return V1MessageType(_prefix.AsSpan(0, _prefixLength), _prefixLength == MaxV1Prefix);
    }

    /// <summary>
    /// The v1 layout: the number of offsets n (8 bytes, little-endian), n offsets (8 bytes each) from the start of the
    /// message, then the channel, header, parent header, metadata, content and buffers, each starting at its offset.
    /// </summary>
    private static bool? V1MessageType(ReadOnlySpan<byte> prefix, bool full)
    {
        if (prefix.Length < 8)
        {
            return full ? false : null;
        }
        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (count is < 3 or > 64)
        {
            return false;
        }
        int table = 8 * (1 + (int)count);
        if (prefix.Length < 8 * 4)
        {
            return null;
        }
        ulong channelStart = BinaryPrimitives.ReadUInt64LittleEndian(prefix[8..]);
        ulong headerStart = BinaryPrimitives.ReadUInt64LittleEndian(prefix[16..]);
        ulong headerEnd = BinaryPrimitives.ReadUInt64LittleEndian(prefix[24..]);
        if (channelStart != (ulong)table || headerStart < channelStart || headerEnd < headerStart || headerEnd > MaxV1Prefix)
        {
            return false;
        }
        if ((ulong)prefix.Length < headerEnd)
        {
            return full ? false : null;
        }
        return HeaderType(prefix[(int)headerStart..(int)headerEnd]);
    }

    private static bool HeaderType(ReadOnlySpan<byte> header)
    {
        try
        {
            var reader = new Utf8JsonReader(header);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isType = reader.ValueTextEquals("msg_type"u8);
                reader.Read();
                if (isType)
                {
                    return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(ExecuteRequest);
                }
                reader.Skip();
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
