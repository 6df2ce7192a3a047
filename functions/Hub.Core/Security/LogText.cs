namespace Hub.Core.Security;

/// <summary>Caps what a client typed before it reaches a log line or a message (GHSA-p43p-whwx-q52h: log flooding).</summary>
public static class LogText
{
    public const int MaxLength = 64;

    /// <summary>At most <see cref="MaxLength"/> characters, control characters replaced, an ellipsis when cut.</summary>
    public static string Cap(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        int length = Math.Min(text.Length, MaxLength);
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
