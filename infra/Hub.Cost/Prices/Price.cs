namespace Hub.Cost.Prices;

/// <summary>One list price: what it costs, per what, as of when, and who says so.</summary>
/// <param name="Amount">In the price list's currency.</param>
/// <param name="Unit">What one amount buys, e.g. "vCPU-second".</param>
/// <param name="AsOf">The date the source gives for the price, or the date it was read (yyyy-MM-dd or yyyy-MM).</param>
/// <param name="Source">Where the figure comes from, and how sure it is.</param>
public sealed record Price(decimal Amount, string Unit, string AsOf, string Source);
