using System.Text.RegularExpressions;
using Hub.Core.Configuration;

namespace Hub.Core.Users;

/// <summary>Which user names the hub accepts (JupyterHub's <c>username_pattern</c>).</summary>
public sealed class UserNameOptions : ISettingsSection
{
    public static string Section => "Users";

    /// <summary>
    /// A regular expression the whole normalised (lower-case) name must match, e.g. <c>^[a-z][a-z0-9._-]*$</c>;
    /// empty allows any name without control characters, up to 256 characters.
    /// </summary>
    public string NamePattern { get; set; } = "";

    public void Validate(SettingsProblems problems)
    {
        if (NamePattern.Length == 0)
        {
            return;
        }
        try
        {
            _ = new Regex(NamePattern, RegexOptions.None, UserNamePolicy.PatternTimeout);
        }
        catch (ArgumentException ex)
        {
            problems.Add("Users__NamePattern", $"is not a valid regular expression: {ex.Message}");
        }
    }
}
