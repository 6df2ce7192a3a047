using System.Globalization;
using System.Text;

namespace Hub.Core.Users;

/// <summary>
/// What a group name may be. Groups come from identity providers as they name them (Entra object ids, OIDC group
/// names with spaces and capitals), so names are compared exactly, never folded; only what could not be shown or
/// logged safely is refused. The limits match what a login accepts from a provider's groups claim.
/// </summary>
public static class GroupNames
{
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="name"/> cannot be a group name, or <c>null</c> when it can.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0 || string.IsNullOrWhiteSpace(name))
        {
            return "A group name cannot be empty.";
        }
        if (name.Length > MaxLength)
        {
            return $"A group name can have at most {MaxLength} characters; '{UserNamePolicy.Shorten(name)}' has {name.Length}.";
        }
        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return $"'{UserNamePolicy.Shorten(name)}' starts or ends with white space.";
        }
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return "A group name cannot contain control characters or line breaks.";
            }
        }
        return null;
    }
}
