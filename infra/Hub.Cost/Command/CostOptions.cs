using Hub.Cost.Model;

namespace Hub.Cost.Command;

/// <summary>What the command line asked for: the assumptions, a prices file, a recorded usage report (<c>-</c>: standard input), or help.</summary>
public sealed record CostOptions(CostAssumptions Assumptions, string? PricesPath, bool Help, string? FromUsage = null);
