namespace Hub.Gateway.Logging;

/// <summary>Bounds anything a client sent before it goes into a log line, so requests cannot flood the logs.</summary>
internal static class LogText
{
    public const int MaxLength = 200;

    public static string Cap(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        if (text.Length <= MaxLength)
        {
            return text;
        }
        int cut = char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
