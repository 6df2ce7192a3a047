namespace Hub.Core.Configuration;

/// <summary>Every problem found in the app settings, each naming its key, collected so that all are reported at once.</summary>
public sealed class SettingsProblems
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages => _messages;

    public bool Any => _messages.Count > 0;

    /// <summary>Records "<paramref name="key"/> <paramref name="problem"/>", e.g. "Culler__IdleTimeout must be at least 1 minute".</summary>
    public void Add(string key, string problem) => _messages.Add(key + " " + problem);

    /// <summary>Records a problem that does not belong to one key.</summary>
    public void AddGeneral(string message) => _messages.Add(message);
}

/// <summary>Thrown at startup when app settings are invalid; its message lists every problem.</summary>
public sealed class AppSettingsException(IReadOnlyList<string> problems)
    : Exception("Invalid app settings:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
