using System.Globalization;
using Hub.Cost.Model;
using Hub.Cost.Prices;
using Hub.Cost.Usage;

namespace Hub.Cost.Command;

/// <summary><c>./hub cost [options]</c>: parse, load the prices, estimate, print. Exit codes: 0 done, 2 bad options or prices.</summary>
public static class CostCommand
{
    public static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error)
    {
        CostOptions options;
        try
        {
            options = CommandLine.Parse(arguments);
        }
        catch (CommandLineException ex)
        {
            error.WriteLine("./hub cost: " + string.Join(Environment.NewLine + "./hub cost: ", ex.Problems));
            return 2;
        }
        if (options.Help)
        {
            Help(output, options.Assumptions);
            return 0;
        }
        string path = options.PricesPath ?? PriceList.DefaultPath;
        PriceList prices;
        try
        {
            prices = PriceList.Load(path);
        }
        catch (PriceListException ex)
        {
            error.WriteLine(ex.Message);
            return 2;
        }
        if (options.FromUsage is { } source)
        {
            return FromUsage(source, prices, options.Assumptions, output, error);
        }
        var estimate = new CostModel(prices).Estimate(options.Assumptions);
        CostReport.Write(output, estimate, options.Assumptions, prices, options.PricesPath ?? "infra/Hub.Cost/prices.json");
        return 0;
    }

    /// <summary>The spend of a recorded period, from the hub's usage report saved to a file (or piped in as <c>-</c>).</summary>
    private static int FromUsage(string source, PriceList prices, CostAssumptions assumptions, TextWriter output, TextWriter error)
    {
        RecordedUsage usage;
        try
        {
            usage = RecordedUsage.Parse(source == "-" ? Console.In.ReadToEnd() : File.ReadAllText(source));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            error.WriteLine($"./hub cost: --from-usage {source}: {ex.Message}");
            return 2;
        }
        UsageSpend.Estimate(usage, prices, assumptions).Write(output);
        return 0;
    }

    private static void Help(TextWriter output, CostAssumptions values)
    {
        output.WriteLine("./hub cost [options]: idle cost per day and cost per student-hour of Serverless Hub on Azure, compared with JupyterHub on Kubernetes.");
        output.WriteLine();
        output.WriteLine("Options (current value in brackets):");
        output.WriteLine($"  {"--prices FILE",-42} prices to use (infra/Hub.Cost/prices.json)");
        output.WriteLine($"  {"--from-usage FILE",-42} instead: a recorded period's spend, from GET /hub/api/usage?period=… saved to FILE (- reads standard input)");
        foreach (var (name, property) in CommandLine.Options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            object? value = property.GetValue(values);
            string shown = value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "";
            string option = property.PropertyType == typeof(bool) ? $"--{name}" : $"--{name} N";
            output.WriteLine($"  {option,-42} [{shown}]");
        }
    }
}
