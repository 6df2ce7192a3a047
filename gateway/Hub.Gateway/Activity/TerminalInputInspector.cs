using Hub.Core.Store;

namespace Hub.Gateway.Activity;

/// <summary>
/// A terminal's WebSocket (terminado): the client sends JSON arrays such as <c>["stdin", "ls\r"]</c> for keys typed
/// and <c>["set_size", rows, cols, …]</c> when the window changes size. Only <c>stdin</c> is a person typing.
/// </summary>
internal sealed class TerminalInputInspector : IMessageInspector
{
    private static ReadOnlySpan<byte> Stdin => "\"stdin\""u8;

    // The message's first bytes after the opening bracket and any whitespace: enough to compare with "stdin".
    private readonly byte[] _start = new byte[8];
    private int _length;
    private bool _binary;
    private bool _inArray;

    public ActivityKind Kind => ActivityKind.Terminal;

    public void Begin(bool binary)
    {
        _binary = binary;
        _length = 0;
        _inArray = false;
    }

    public bool? Feed(ReadOnlySpan<byte> payload)
    {
        if (_binary)
        {
            return false;
        }
        foreach (byte b in payload)
        {
            if (_length == 0 && b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }
            if (!_inArray)
            {
                if (b != (byte)'[')
                {
                    return false;
                }
                _inArray = true;
                continue;
            }
            _start[_length++] = b;
            if (_length == Stdin.Length)
            {
                return _start.AsSpan(0, _length).SequenceEqual(Stdin);
            }
        }
        return null;
    }
}
