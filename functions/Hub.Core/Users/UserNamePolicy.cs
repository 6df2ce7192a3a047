using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Hub.Core.Users;

/// <summary>
/// Turns what someone typed or an identity provider sent into the hub's user name, as JupyterHub does:
/// surrounding white space removed, Unicode composed (NFC) and case-folded, so that <c>Alice</c> and
/// <c>alice</c> are one user; then refuses names that are empty, too long, hold control characters, are
/// <c>.</c> or <c>..</c>, or do not match <see cref="UserNameOptions.NamePattern"/>.
/// </summary>
public sealed class UserNamePolicy
{
    /// <summary>The longest user name, in Unicode code points.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// How a configured pattern is matched: in time linear in the name, so a hostile name cannot make a pattern
    /// backtrack, and no timeout is needed (a timeout failed benign names on a machine busy enough to stall a thread).
    /// </summary>
    public const RegexOptions PatternOptions = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    private readonly Regex? _pattern;
    private readonly string _patternText;

    public UserNamePolicy(UserNameOptions options)
    {
        _patternText = options.NamePattern;
        _pattern = options.NamePattern.Length == 0 ? null : new Regex(options.NamePattern, PatternOptions);
    }

    /// <summary>Normalises <paramref name="raw"/>; false with a message naming the problem when it is not a valid name.</summary>
    public bool TryNormalize(string? raw, out string name, out string problem)
    {
        name = raw is null ? "" : Fold(raw);
        problem = WellFormednessProblem(name) ?? PatternProblem(name) ?? "";
        return problem.Length == 0;
    }

    /// <summary>Normalises <paramref name="raw"/> or throws.</summary>
    /// <exception cref="InvalidUserNameException">The name is not valid; the message says why.</exception>
    public string Normalize(string? raw) =>
        TryNormalize(raw, out string name, out string problem) ? name : throw new InvalidUserNameException(problem);

    /// <summary>The folding step alone: trimmed, NFC, lower case.</summary>
    public static string Fold(string raw) => raw.Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();

    /// <summary>
    /// The rules every stored name obeys whatever the configured pattern: folded, 1 to 256 code points,
    /// no control or line-separator characters, not <c>.</c> or <c>..</c>. <c>null</c> when the name obeys them.
    /// </summary>
    public static string? WellFormednessProblem(string name)
    {
        if (name.Length == 0)
        {
            return "A user name cannot be empty.";
        }
        if (name is "." or "..")
        {
            return "'.' and '..' cannot be user names.";
        }
        int codePoints = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            codePoints++;
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return "A user name cannot contain control characters or line breaks.";
            }
        }
        if (codePoints > MaxLength)
        {
            return $"A user name can have at most {MaxLength} characters; '{Shorten(name)}' has {codePoints}.";
        }
        if (!string.Equals(name, Fold(name), StringComparison.Ordinal))
        {
            return $"'{Shorten(name)}' is not in normalised form (lower case, no surrounding spaces).";
        }
        return null;
    }

    private string? PatternProblem(string name)
    {
        if (_pattern is null)
        {
            return null;
        }
        var match = _pattern.Match(name);
        return match.Success && match.Index == 0 && match.Length == name.Length
            ? null
            : $"'{Shorten(name)}' is not an allowed user name (it must match {_patternText}).";
    }

    /// <summary>Caps a name before it goes into a message or a log line.</summary>
    public static string Shorten(string name)
    {
        if (name.Length <= 64)
        {
            return name;
        }
        int cut = char.IsHighSurrogate(name[63]) ? 63 : 64;
        return name[..cut] + "…";
    }
}

/// <summary>A user name was refused; the message is fit to show to the person who typed it.</summary>
public sealed class InvalidUserNameException(string message) : ArgumentException(message);
