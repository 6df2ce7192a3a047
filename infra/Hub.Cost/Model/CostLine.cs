namespace Hub.Cost.Model;

/// <summary>One item of an estimate: what is billed, how the amount comes about, and the amount.</summary>
/// <param name="Component">The Azure resource or meter, e.g. "NAT gateway".</param>
/// <param name="Basis">The arithmetic in words, e.g. "24 h × $0.045".</param>
/// <param name="Amount">In the price list's currency.</param>
public sealed record CostLine(string Component, string Basis, decimal Amount);
