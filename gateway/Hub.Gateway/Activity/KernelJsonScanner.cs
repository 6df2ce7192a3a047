namespace Hub.Gateway.Activity;

/// <summary>
/// Finds <c>header.msg_type</c> in a kernel message sent as JSON text, reading it a piece at a time without holding
/// it: it follows only strings, nesting and the keys of the top two levels, so its memory stays a few bytes however
/// long the message (a cell's code comes in <c>content</c>, often before the header). Not a validator: malformed JSON
/// only ever yields "not the type looked for".
/// </summary>
internal sealed class KernelJsonScanner(ReadOnlySpan<byte> wanted)
{
    private const int MaxCapture = 32;

    private readonly byte[] _wanted = wanted.ToArray();
    private readonly byte[] _capture = new byte[MaxCapture];
    private int _captured;
    private bool _captureOverflow;

    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _stringIsKey;
    private bool _expectKey;

    // Levels 1 (the message) and 2 (the header): whether each is an object.
    private bool _level1IsObject;
    private bool _level2IsHeader;

    private bool _lastTopKeyIsHeader;
    private bool _lastHeaderKeyIsType;

    public void Reset()
    {
        _captured = 0;
        _captureOverflow = false;
        _depth = 0;
        _inString = _escape = _stringIsKey = _expectKey = false;
        _level1IsObject = _level2IsHeader = false;
        _lastTopKeyIsHeader = _lastHeaderKeyIsType = false;
    }

    /// <returns><c>true</c> once the header's type is the wanted one, <c>false</c> once it is another or the message ended without one, <c>null</c> until then.</returns>
    public bool? Feed(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                    Capture(b);
                }
                else if (b == (byte)'\\')
                {
                    // An escaped key or type is never one of the plain ASCII names looked for.
                    _escape = true;
                    _captureOverflow = true;
                }
                else if (b == (byte)'"')
                {
                    _inString = false;
                    if (StringEnded() is { } decided)
                    {
                        return decided;
                    }
                }
                else
                {
                    Capture(b);
                }
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    _captured = 0;
                    _captureOverflow = false;
                    _stringIsKey = _expectKey;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    if (_depth == 1)
                    {
                        _level1IsObject = b == (byte)'{';
                    }
                    else if (_depth == 2)
                    {
                        _level2IsHeader = b == (byte)'{' && _level1IsObject && _lastTopKeyIsHeader;
                        _lastHeaderKeyIsType = false;
                    }
                    _expectKey = b == (byte)'{';
                    break;
                case (byte)'}' or (byte)']':
                    _depth--;
                    if (_depth <= 0)
                    {
                        return false;
                    }
                    _expectKey = false;
                    break;
                case (byte)':':
                    _expectKey = false;
                    break;
                case (byte)',':
                    _expectKey = _depth == 1 ? _level1IsObject : _depth == 2 && _level2IsHeader;
                    break;
            }
        }
        return null;
    }

    private void Capture(byte b)
    {
        if (_captured < MaxCapture)
        {
            _capture[_captured++] = b;
        }
        else
        {
            _captureOverflow = true;
        }
    }

    private bool? StringEnded()
    {
        ReadOnlySpan<byte> text = _captureOverflow ? [] : _capture.AsSpan(0, _captured);
        if (_stringIsKey)
        {
            if (_depth == 1)
            {
                _lastTopKeyIsHeader = text.SequenceEqual("header"u8);
            }
            else if (_depth == 2 && _level2IsHeader)
            {
                _lastHeaderKeyIsType = text.SequenceEqual("msg_type"u8);
            }
            return null;
        }
        if (_depth == 2 && _level2IsHeader && _lastHeaderKeyIsType)
        {
            return !_captureOverflow && text.SequenceEqual(_wanted);
        }
        return null;
    }
}
