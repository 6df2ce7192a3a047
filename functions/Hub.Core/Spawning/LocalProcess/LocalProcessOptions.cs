using System.Text.RegularExpressions;
using Hub.Core.Configuration;

namespace Hub.Core.Spawning.LocalProcess;

/// <summary>The local spawner: a Jupyter process per server on this machine, homes under the hub's data folder.</summary>
public sealed partial class LocalProcessOptions : ISettingsSection
{
    public static string Section => "LocalProcess";

    /// <summary>Placeholders the command may use; each is replaced inside its own argument.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["{ip}", "{port}", "{base_url}", "{home}", "{user}", "{server}"];

    /// <summary>
    /// The Jupyter command, split at spaces, with placeholders: <c>{ip}</c> (127.0.0.1), <c>{port}</c> (a free port),
    /// <c>{base_url}</c> (<c>/user/{name}/</c>), <c>{home}</c> (the user's home folder), <c>{user}</c>, <c>{server}</c>.
    /// The token is passed as <c>JUPYTER_TOKEN</c>, never on the command line. The default runs Debian's
    /// <c>jupyter notebook</c>; <c>--allow-root</c> lets it run where the hub runs as root (containers, CI).
    /// </summary>
    public string Command { get; set; } =
        "jupyter notebook --allow-root --no-browser --ip={ip} --port={port} --NotebookApp.base_url={base_url} --NotebookApp.port_retries=0 --notebook-dir={home}";

    /// <summary>A folder copied into every new home on its first start (a course's notebooks); empty: homes start empty.</summary>
    public string TemplateDirectory { get; set; } = "";

    /// <summary>
    /// Runs each user's servers as their own unprivileged Unix account, <c>{AccountPrefix}{user}</c>, created with
    /// <c>useradd</c> on their first start, their home owned by it and closed to others (0700). Takes effect when the
    /// hub runs as root (only root can create accounts and switch to them); a hub run by an ordinary user runs every
    /// server as that user (fine for development, not isolated). Turning it off while the hub runs as root is refused:
    /// every student's code would run as root.
    /// </summary>
    public bool UserAccounts { get; set; } = true;

    /// <summary>
    /// What goes before the user's name in their Unix account's name (<c>hub-alice</c>): a lower-case letter, then up
    /// to 15 lower-case letters, digits, <c>-</c> or <c>_</c>. Accounts stay when servers stop, and are reused.
    /// </summary>
    public string AccountPrefix { get; set; } = "hub-";

    /// <summary>The command split into arguments.</summary>
    public IReadOnlyList<string> CommandArguments => Command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Validate(SettingsProblems problems)
    {
        if (CommandArguments.Count == 0)
        {
            problems.Add("LocalProcess__Command", "must name the Jupyter command");
            return;
        }
        foreach (Match placeholder in PlaceholderPattern().Matches(Command))
        {
            if (!Placeholders.Contains(placeholder.Value))
            {
                problems.Add("LocalProcess__Command", $"uses {placeholder.Value}, which is not one of {string.Join(", ", Placeholders)}");
            }
        }
        foreach (var required in new[] { "{port}", "{base_url}" })
        {
            if (!Command.Contains(required, StringComparison.Ordinal))
            {
                problems.Add("LocalProcess__Command", $"must use {required} (the server must listen where the hub expects it)");
            }
        }
        if (TemplateDirectory.Length > 0 && !Directory.Exists(TemplateDirectory))
        {
            problems.Add("LocalProcess__TemplateDirectory", $"names a folder that does not exist: '{TemplateDirectory}'");
        }
        if (!AccountPrefixPattern().IsMatch(AccountPrefix))
        {
            problems.Add("LocalProcess__AccountPrefix", $"must be a lower-case letter then up to 15 lower-case letters, digits, '-' or '_' (an account name's start), not '{AccountPrefix}'");
        }
    }

    /// <summary>What stops this machine from running servers safely with this spawner (checked only when it is the one chosen).</summary>
    public IEnumerable<(string Key, string Problem)> ProblemsWhenUsed()
    {
        if (!UnixAccounts.ProcessIsRoot)
        {
            yield break;
        }
        if (!UserAccounts)
        {
            yield return ("LocalProcess__UserAccounts", "is off while the hub runs as root, so every student's code would run as root; turn it on (one Unix account per user) or run the hub as an unprivileged user");
        }
        else if (UnixAccounts.MissingTools() is { Count: > 0 } missing)
        {
            yield return ("LocalProcess__UserAccounts", $"needs {string.Join(", ", missing)} to give each user a Unix account, and this machine lacks them (Debian: apt-get install passwd util-linux coreutils); the hub refuses to run students' servers as root");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,15}$")]
    private static partial Regex AccountPrefixPattern();

    [GeneratedRegex(@"\{[^{}\s]*\}")]
    private static partial Regex PlaceholderPattern();
}
