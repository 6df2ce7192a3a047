using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Functions.Timers;
using Hub.Testing;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Configuration;

namespace Hub.Infra.Tests.Arm;

/// <summary>
/// The timer functions' schedules resolve in Azure: each <c>%name%</c> of each <c>function.json</c> is looked up by the
/// WebJobs <see cref="DefaultNameResolver"/> over environment-variable configuration, as the Functions host looks it
/// up, with the template's app settings as the environment; each result is a six-field NCRONTAB expression.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed partial class TimerScheduleResolutionTests
{
    private readonly ArmTemplate _template = ArmTemplate.Load();

    [Fact]
    public void EverySchedule_ResolvesThroughTheHostsNameResolver_ToSixFieldNcrontab()
    {
        var schedules = Definitions().Select(d => (d.Name, Schedule: TimerSchedule(d.Json))).Where(d => d.Schedule is not null).ToList();
        Assert.Equal(["cull-idle", "prewarm", "reconcile"], schedules.Select(s => s.Name).Order(StringComparer.Ordinal));

        var names = schedules.SelectMany(s => SettingToken().Matches(s.Schedule!).Select(m => m.Groups[1].Value)).ToList();
        using var environment = new TemporaryEnvironment(names.ToDictionary(n => n, AppSettingValue));
        var resolver = new DefaultNameResolver(new ConfigurationBuilder().AddEnvironmentVariables().Build());

        foreach (var (name, schedule) in schedules)
        {
            string resolved = SettingToken().Replace(schedule!, token =>
                resolver.Resolve(token.Groups[1].Value) ?? throw new Xunit.Sdk.XunitException($"{name}: %{token.Groups[1].Value}% does not resolve"));
            Assert.True(TimerOptions.TryParse(resolved) is not null, $"{name}: '{schedule}' resolved to '{resolved}', not a six-field NCRONTAB expression");
            Assert.Equal(6, resolved.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }

    [Fact]
    public void NameWithDoubleUnderscore_DoesNotResolve_WhichIsWhyTheSchedulesHaveFlatNames()
    {
        using var environment = new TemporaryEnvironment(new Dictionary<string, string> { ["Timers__CullIdleSchedule"] = "0 */5 * * * *" });
        var resolver = new DefaultNameResolver(new ConfigurationBuilder().AddEnvironmentVariables().Build());

        Assert.Null(resolver.Resolve("Timers__CullIdleSchedule"));
        Assert.Equal("0 */5 * * * *", resolver.Resolve("Timers:CullIdleSchedule"));
    }

    private IEnumerable<(string Name, JsonElement Json)> Definitions() =>
        Directory.GetFiles(RepositoryPaths.InRoot("functions", "definitions"), "function.json", SearchOption.AllDirectories)
            .Select(path => (Path.GetFileName(Path.GetDirectoryName(path))!, JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone()));

    private static string? TimerSchedule(JsonElement definition) =>
        definition.GetProperty("bindings").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "timerTrigger")
            .Select(b => b.GetProperty("schedule").GetString())
            .SingleOrDefault();

    /// <summary>The value the template gives an app setting: a literal, or the default of the parameter it names.</summary>
    private string AppSettingValue(string name)
    {
        Assert.True(_template.FunctionAppSettings.TryGetValue(name, out string? value), $"the function app does not set {name}");
        var parameter = ParameterReference().Match(value!);
        return parameter.Success ? (string)_template.Parameters[parameter.Groups[1].Value]!["defaultValue"]! : value!;
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingToken();

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();
}
