using System.Text.RegularExpressions;
using Hub.Core.Configuration;

namespace Hub.Core.Users;

/// <summary>Which user names the hub accepts (JupyterHub's <c>username_pattern</c>).</summary>
public sealed class UserNameOptions : ISettingsSection
{
    public static string Section => "Users";

    /// <summary>
    /// A regular expression the whole normalised (lower-case) name must match, e.g. <c>^[a-z][a-z0-9._-]*$</c>;
    /// empty allows any name without control characters, up to 256 characters. Matched in linear time, so
    /// backreferences, lookarounds and atomic groups are refused at startup.
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
            _ = new Regex(NamePattern, UserNamePolicy.PatternOptions);
        }
        catch (ArgumentException ex)
        {
            problems.Add("Users__NamePattern", $"is not a valid regular expression: {ex.Message}");
        }
        catch (NotSupportedException ex)
        {
            problems.Add("Users__NamePattern", $"uses a construct that cannot be matched in linear time (backreferences, lookarounds, atomic groups): {ex.Message}");
        }
    }
}
