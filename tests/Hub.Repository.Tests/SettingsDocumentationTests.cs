using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Testing;

namespace Hub.Repository.Tests;

/// <summary>The options classes, <c>local.settings.sample.json</c> and the settings table of <c>docs/settings.md</c> stay in step.</summary>
public sealed partial class SettingsDocumentationTests
{
    private static Dictionary<string, string> SampleValues()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    private static readonly string SettingsDocument = Path.Combine("docs", "settings.md");

    /// <summary>Rows of the tables under "## Every setting" in docs/settings.md: key → default cell.</summary>
    private static Dictionary<string, string> DocumentedRows()
    {
        string document = File.ReadAllText(RepositoryPaths.InRoot(SettingsDocument));
        int start = document.IndexOf("\n## Every setting", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{SettingsDocument} has no '## Every setting' section");
        int end = document.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        string section = end < 0 ? document[start..] : document[start..end];

        var rows = new Dictionary<string, string>();
        foreach (Match row in TableRow().Matches(section))
        {
            string key = row.Groups["key"].Value;
            Assert.False(rows.ContainsKey(key), $"{SettingsDocument} lists {key} twice");
            string cell = row.Groups["default"].Value.Trim();
            rows[key] = cell == "*(empty)*" ? "" : cell.Trim('`');
        }
        return rows;
    }

    [Fact]
    public void Sample_ListsEverySettingWithItsDefault()
    {
        var sample = SampleValues();
        var expected = AppSettingsCatalog.AppSettings.Where(s => !s.IsSetByHost).ToDictionary(s => s.Key, s => s.Default);
        foreach (var (key, value) in AppSettingsCatalog.FunctionsHostSettings)
        {
            expected[key] = value;
        }

        Assert.Equal(expected.Keys.Order(), sample.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.True(value == sample[key], $"local.settings.sample.json has {key}='{sample[key]}', but the default is '{value}'");
        }
    }

    [Fact]
    public void SettingsDocument_TableListsEverySettingWithItsDefault()
    {
        var rows = DocumentedRows();
        var expected = AppSettingsCatalog.AppSettings.ToDictionary(s => s.Key, s => s.Default);
        foreach (var (key, value) in AppSettingsCatalog.FunctionsHostSettings)
        {
            expected[key] = value;
        }

        Assert.Equal(expected.Keys.Order(), rows.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.True(value == rows[key], $"{SettingsDocument} says the default of {key} is '{rows[key]}', but it is '{value}'");
        }
    }

    [Fact]
    public void Sample_HoldsNoSecretValues()
    {
        var sample = SampleValues();

        foreach (var setting in AppSettingsCatalog.AppSettings.Where(s => s.IsSecret))
        {
            Assert.True(sample[setting.Key] == setting.Default, $"{setting.Key} is a secret; the sample must keep its local default");
        }
    }

    // | `Key` | meaning | default |
    [GeneratedRegex(@"^\|\s*`(?<key>[A-Za-z_][A-Za-z0-9_]*)`\s*\|[^|\n]*\|(?<default>[^|\n]*)\|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
