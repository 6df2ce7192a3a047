namespace Hub.Core.Security;

/// <summary>
/// Caps what a client typed before it reaches a log line or a message (GHSA-p43p-whwx-q52h: log flooding), and
/// neutralises control characters so that one value cannot forge another log line. The one rule for the control
/// plane and the gateway.
/// </summary>
public static class LogText
{
    /// <summary>The cap for names and short values (user, group, server and token names; query values).</summary>
    public const int MaxLength = 64;

    /// <summary>The cap for request paths, URLs and error reasons, which are longer by nature and still need to be recognisable.</summary>
    public const int MaxLongLength = 200;

    /// <summary>At most <see cref="MaxLength"/> characters, control characters replaced, an ellipsis when cut.</summary>
    public static string Cap(string? text) => Cap(text, MaxLength);

    /// <summary>At most <see cref="MaxLongLength"/> characters, control characters replaced, an ellipsis when cut.</summary>
    public static string CapLong(string? text) => Cap(text, MaxLongLength);

    private static string Cap(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        int length = Math.Min(text.Length, maxLength);
        if (length < text.Length && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }
        Span<char> buffer = stackalloc char[length];
        for (int i = 0; i < length; i++)
        {
            buffer[i] = char.IsControl(text[i]) ? '?' : text[i];
        }
        return length < text.Length ? new string(buffer) + "…" : new string(buffer);
    }
}
