using System.Globalization;
using Hub.Cost.Model;
using Hub.Cost.Prices;

namespace Hub.Cost.Command;

/// <summary>Writes an estimate as text: both totals with their lines, then the comparison with the Kubernetes hub.</summary>
public static class CostReport
{
    /// <summary>Daily use, in student-hours, at which the comparison table shows both bills.</summary>
    public static readonly IReadOnlyList<decimal> ExampleDays = [0m, 50m, 200m, 1000m, 5000m];

    public static void Write(TextWriter output, CostEstimate estimate, CostAssumptions assumptions, PriceList prices, string pricesPath)
    {
        output.WriteLine($"Serverless Hub: what a class costs ({prices.Currency}, pay-as-you-go list prices; each price's date and source: {pricesPath})");
        output.WriteLine();
        output.WriteLine($"Idle, per day (nobody working; {assumptions.Students} students' homes of {assumptions.HomeGibPerStudent} GiB kept)");
        Lines(output, estimate.IdlePerDay, digits: 3);
        Total(output, estimate.IdleTotal, digits: 2);
        output.WriteLine();
        output.WriteLine($"Per student-hour (one server of {assumptions.ServerVcpu} vCPU and {assumptions.ServerMemoryGb} GB running; a start every {assumptions.SessionHours} h)");
        Lines(output, estimate.PerStudentHour, digits: 4);
        Total(output, estimate.StudentHourTotal, digits: 3);
        output.WriteLine();
        output.WriteLine($"Compared with JupyterHub on Kubernetes (the TALMO workshop: about {Amount(estimate.KubernetesIdlePerDay, 0)} a day idle, about {Amount(estimate.KubernetesPerStudentHour, 2)} per student-hour)");
        output.WriteLine($"  idle, per day      {Amount(estimate.IdleTotal, 2)} vs {Amount(estimate.KubernetesIdlePerDay, 2)}" + Ratio(estimate.KubernetesIdlePerDay, estimate.IdleTotal));
        output.WriteLine($"  per student-hour   {Amount(estimate.StudentHourTotal, 3)} vs {Amount(estimate.KubernetesPerStudentHour, 3)}");
        output.WriteLine("  " + BreakEven(estimate));
        output.WriteLine("  a day of           " + string.Join(" | ", ExampleDays.Select(h =>
            $"{h.ToString("0", CultureInfo.InvariantCulture)} h: {Amount(estimate.Day(h), 2)} vs {Amount(estimate.KubernetesDay(h), 2)}")));
        output.WriteLine();
        output.WriteLine("Assumptions: ./hub cost --help lists them with their values; docs/cost.md explains them.");
        output.WriteLine("Prices are list prices from the sources in the prices file, not quotes: check your region with the Azure Retail Prices API.");
    }

    public static string BreakEven(CostEstimate estimate) => estimate.BreakEvenStudentHoursPerDay switch
    {
        decimal hours => $"break-even         this hub costs less below {hours.ToString("N0", CultureInfo.InvariantCulture)} student-hours a day",
        null when estimate.CheaperWhenIdle => "break-even         none: this hub costs less at any use",
        null => "break-even         none: this hub costs more at any use",
    };

    public static string Amount(decimal amount, int digits) =>
        "$" + Math.Round(amount, digits, MidpointRounding.AwayFromZero).ToString("N" + digits, CultureInfo.InvariantCulture);

    private static void Lines(TextWriter output, IReadOnlyList<CostLine> lines, int digits)
    {
        foreach (var line in lines)
        {
            output.WriteLine($"  {line.Component,-52} {Amount(line.Amount, digits),9}   {line.Basis}");
        }
    }

    private static void Total(TextWriter output, decimal total, int digits) => output.WriteLine($"  {"Total",-52} {Amount(total, digits),9}");

    private static string Ratio(decimal theirs, decimal ours) =>
        ours > 0 && theirs > ours ? $" ({(theirs / ours).ToString("0.0", CultureInfo.InvariantCulture)}× less)" : "";
}
