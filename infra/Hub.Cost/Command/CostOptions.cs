using Hub.Cost.Model;

namespace Hub.Cost.Command;

/// <summary>What the command line asked for: the assumptions, a prices file, or help.</summary>
public sealed record CostOptions(CostAssumptions Assumptions, string? PricesPath, bool Help);
