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
    }

    [GeneratedRegex(@"\{[^{}\s]*\}")]
    private static partial Regex PlaceholderPattern();
}
