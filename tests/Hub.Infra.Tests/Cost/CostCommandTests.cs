using System.Globalization;
using Hub.Cost.Command;
using Hub.Cost.Model;
using Hub.Cost.Prices;
using Hub.Testing;

namespace Hub.Infra.Tests.Cost;

/// <summary>The prices file, the command line and the report of <c>./hub cost</c>.</summary>
public sealed class CostCommandTests
{
    private static string PricesPath => RepositoryPaths.InRoot("infra", "Hub.Cost", "prices.json");

    [Fact]
    public void PricesFile_StatesAmountUnitDateAndSourceOfEveryPriceTheModelUses()
    {
        var prices = PriceList.Load(PricesPath);

        foreach (string key in PriceList.RequiredKeys)
        {
            var price = prices[key];
            Assert.True(price.Amount > 0, $"{key} has no amount");
            Assert.True(DateOnly.TryParseExact(price.AsOf, ["yyyy-MM-dd", "yyyy-MM"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"{key}: asOf '{price.AsOf}'");
            Assert.False(string.IsNullOrWhiteSpace(price.Source), $"{key} has no source");
        }
        Assert.Equal((13m, 0.03m), (prices.Of("kubernetesHub.idleDay"), prices.Of("kubernetesHub.studentHour")));
    }

    [Fact]
    public void PricesFile_WithoutASourceOrDate_IsRefusedNamingEveryProblem()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("hub-prices-").FullName, "prices.json");
        try
        {
            File.WriteAllText(path, """{"prices": {"natGateway.hour": {"amount": 0.045, "unit": "hour", "asOf": "last year", "source": ""}}}""");

            var ex = Assert.Throws<PriceListException>(() => PriceList.Load(path));

            Assert.Contains("natGateway.hour: source is missing; say where the price comes from", ex.Problems);
            Assert.Contains("natGateway.hour: asOf must be a date (yyyy-MM-dd or yyyy-MM), not 'last year'", ex.Problems);
            Assert.Contains("containerInstances.vcpuSecond is missing", ex.Problems);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void CommandLine_SetsAssumptionsByKebabCaseName()
    {
        var options = CommandLine.Parse(["--students", "300", "--server-vcpu", "0.5", "--free-grants", "--prices", "p.json"]);

        Assert.Equal(300, options.Assumptions.Students);
        Assert.Equal(0.5m, options.Assumptions.ServerVcpu);
        Assert.True(options.Assumptions.FreeGrants);
        Assert.Equal("p.json", options.PricesPath);
    }

    [Fact]
    public void CommandLine_ReportsEveryProblemAtOnce()
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--studens", "3", "--server-vcpu", "lots", "--session-hours", "0", "--image-pull-gb"]));

        Assert.Contains("'--studens' is not an option of ./hub cost (did you mean --students?); --help lists them", ex.Problems);
        Assert.Contains("--server-vcpu must be a number, not 'lots'", ex.Problems);
        Assert.Contains("--image-pull-gb needs a value", ex.Problems);
        Assert.Contains("--session-hours must be at least 0.1, not 0", ex.Problems);
    }

    [Fact]
    public void Run_PrintsBothTotalsAndTheComparison()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CostCommand.Run(["--prices", PricesPath], output, error);

        Assert.Equal(0, code);
        Assert.Equal("", error.ToString());
        string report = output.ToString();
        var estimate = new CostModel(PriceList.Load(PricesPath)).Estimate(new CostAssumptions());
        Assert.Contains($"idle, per day      {CostReport.Amount(estimate.IdleTotal, 2)} vs $13.00", report, StringComparison.Ordinal);
        Assert.Contains($"per student-hour   {CostReport.Amount(estimate.StudentHourTotal, 3)} vs $0.030", report, StringComparison.Ordinal);
        Assert.Contains(CostReport.BreakEven(estimate), report, StringComparison.Ordinal);
        Assert.Contains("NAT gateway", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadOptions_ExitWithTwoAndSayWhy()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CostCommand.Run(["--gateway-replicas", "0"], output, error);

        Assert.Equal(2, code);
        Assert.Contains("--gateway-replicas must be at least 1, not 0", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void Help_ListsEveryAssumptionWithItsDefault()
    {
        var output = new StringWriter();

        Assert.Equal(0, CostCommand.Run(["--help"], output, TextWriter.Null));

        foreach (string option in CommandLine.Options.Keys)
        {
            Assert.Contains("--" + option, output.ToString(), StringComparison.Ordinal);
        }
        Assert.Contains("[100]", output.ToString(), StringComparison.Ordinal);
    }
}
