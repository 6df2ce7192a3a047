namespace Hub.Cost.Command;

/// <summary>The command line cannot be used; the message lists every problem.</summary>
public sealed class CommandLineException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
