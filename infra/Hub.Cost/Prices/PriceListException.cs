namespace Hub.Cost.Prices;

/// <summary>The prices file cannot be used; the message lists every problem.</summary>
public sealed class PriceListException(IReadOnlyList<string> problems)
    : Exception("Invalid prices:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
