namespace Hub.Core.Security;

/// <summary>
/// Reduces a requested redirect target (<c>next</c>) to a path on this hub, or refuses it. Accepted: a path with
/// exactly one leading <c>/</c>, or an absolute URL on the hub's own public origin (cut to its path). Refused:
/// other hosts, protocol-relative <c>//host</c> and <c>/\host</c>, backslashes, control characters and white
/// space (browsers drop tabs and newlines, turning <c>/\t/host</c> into <c>//host</c>), other schemes, and
/// targets that only look like a path after decoding (<c>%2F%2Fhost</c>), per JupyterHub's advisories
/// (GHSA-3vff-hjqv-m7h8, CVE-2019-10255).
/// </summary>
public static class RedirectTarget
{
    public const int MaxLength = 2048;

    /// <summary>The safe path for <paramref name="next"/>, or <c>null</c> if it is not a target on this hub.</summary>
    public static string? Sanitize(string? next, Uri publicUrl)
    {
        if (string.IsNullOrEmpty(next) || next.Length > MaxLength)
        {
            return null;
        }
        foreach (char c in next)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '\\' or '\u200B' or '\uFEFF')
            {
                return null;
            }
        }
        // Non-ASCII stays (user names may hold it) but leaves percent-encoded, as a Location header must be ASCII.
        string candidate = EncodeNonAscii(next);
        if (!candidate.StartsWith('/'))
        {
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var absolute)
                || !string.Equals(absolute.Scheme, publicUrl.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(absolute.Authority, publicUrl.Authority, StringComparison.OrdinalIgnoreCase)
                || absolute.UserInfo.Length > 0)
            {
                return null;
            }
            candidate = absolute.PathAndQuery + absolute.Fragment;
        }
        // Exactly one leading slash: "//host" and "/\host" are other hosts to a browser.
        if (candidate.Length == 0 || candidate[0] != '/' || (candidate.Length > 1 && candidate[1] is '/' or '\\'))
        {
            return null;
        }
        // A relative reference must not carry a scheme or authority of its own once resolved.
        if (!Uri.TryCreate(publicUrl, candidate, out var resolved)
            || !string.Equals(resolved.Authority, publicUrl.Authority, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(resolved.Scheme, publicUrl.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return candidate;
    }

    private static string EncodeNonAscii(string text)
    {
        if (text.All(c => c <= '\u007E'))
        {
            return text;
        }
        var builder = new System.Text.StringBuilder(text.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value <= 0x7E)
            {
                builder.Append((char)rune.Value);
                continue;
            }
            int count = rune.EncodeToUtf8(utf8);
            for (int i = 0; i < count; i++)
            {
                builder.Append('%').Append(utf8[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary><see cref="Sanitize"/>, falling back to <paramref name="fallback"/>.</summary>
    public static string SanitizeOr(string? next, Uri publicUrl, string fallback) => Sanitize(next, publicUrl) ?? fallback;
}
