namespace Hub.Gateway.Activity;

/// <summary>
/// Follows the WebSocket frames (RFC 6455 §5) a client sends, as the bytes arrive in pieces of any size, and hands each
/// data message's payload, unmasked, to an <see cref="IMessageInspector"/> until it has decided. Control frames (ping,
/// pong, close) are skipped, also between the fragments of a message. Payload bytes are only unmasked while the
/// inspector still reads; the rest of a long message is skipped without touching it. The gateway strips the
/// compression extension from the handshake when it reads frames, so every payload arrives readable.
/// </summary>
public sealed class ClientFrameReader(IMessageInspector inspector)
{
    private const int OpContinuation = 0, OpText = 1, OpBinary = 2;

    // The frame header: 2 bytes, up to 8 of extended length, 4 of mask key.
    private readonly byte[] _header = new byte[14];
    private int _headerLength;
    private int _headerNeeded = 2;
    private readonly byte[] _mask = new byte[4];
    private bool _masked;
    private long _payloadLeft;
    private long _payloadOffset;
    private bool _final;
    private bool _control;
    private bool _inPayload;

    /// <summary>The kind of activity the messages that count are.</summary>
    public Hub.Core.Store.ActivityKind Kind => inspector.Kind;

    // The message the data frames belong to: whether the inspector still reads it.
    private bool _reading;

    /// <summary>Reads the next bytes from the client; returns how many messages counted as a person's action in them.</summary>
    public int Read(ReadOnlySpan<byte> data)
    {
        int counted = 0;
        while (!data.IsEmpty)
        {
            if (!_inPayload)
            {
                int take = Math.Min(_headerNeeded - _headerLength, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerLength));
                _headerLength += take;
                data = data[take..];
                if (_headerLength == _headerNeeded && HeaderComplete() && _payloadLeft == 0)
                {
                    EndOfFrame();
                }
                continue;
            }
            int chunk = (int)Math.Min(_payloadLeft, data.Length);
            if (!_control && _reading && Inspect(data[..chunk]) is { } decided)
            {
                _reading = false;
                if (decided)
                {
                    counted++;
                }
            }
            _payloadLeft -= chunk;
            _payloadOffset += chunk;
            data = data[chunk..];
            if (_payloadLeft == 0)
            {
                EndOfFrame();
            }
        }
        return counted;
    }

    /// <summary>Parses as much of the header as has arrived; true when it is whole (then the payload starts).</summary>
    private bool HeaderComplete()
    {
        byte first = _header[0], second = _header[1];
        _masked = (second & 0x80) != 0;
        int length7 = second & 0x7F;
        int needed = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (_masked ? 4 : 0);
        if (_headerLength < needed)
        {
            _headerNeeded = needed;
            return false;
        }
        int at = 2;
        _payloadLeft = length7 switch
        {
            126 => (_header[2] << 8) | _header[3],
            127 => (long)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)) & long.MaxValue),
            _ => length7,
        };
        at += length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        if (_masked)
        {
            _header.AsSpan(at, 4).CopyTo(_mask);
        }
        _final = (first & 0x80) != 0;
        int opcode = first & 0x0F;
        _control = (opcode & 0x08) != 0;
        if (opcode is OpText or OpBinary)
        {
            _reading = true;
            inspector.Begin(opcode == OpBinary);
        }
        else if (opcode != OpContinuation && !_control)
        {
            _reading = false; // a reserved opcode: nothing to read
        }
        _payloadOffset = 0;
        _inPayload = true;
        _headerLength = 0;
        _headerNeeded = 2;
        return true;
    }

    /// <summary>The frame's payload is through.</summary>
    private void EndOfFrame()
    {
        _inPayload = false;
        if (!_control && _final)
        {
            // The message is over: a decision not reached by its end is "does not count".
            _reading = false;
        }
    }

    private bool? Inspect(ReadOnlySpan<byte> payload)
    {
        if (!_masked)
        {
            return inspector.Feed(payload);
        }
        Span<byte> unmasked = stackalloc byte[256];
        long offset = _payloadOffset;
        while (!payload.IsEmpty)
        {
            int n = Math.Min(payload.Length, unmasked.Length);
            for (int i = 0; i < n; i++)
            {
                unmasked[i] = (byte)(payload[i] ^ _mask[(int)((offset + i) & 3)]);
            }
            if (inspector.Feed(unmasked[..n]) is { } decided)
            {
                return decided;
            }
            payload = payload[n..];
            offset += n;
        }
        return null;
    }
}
