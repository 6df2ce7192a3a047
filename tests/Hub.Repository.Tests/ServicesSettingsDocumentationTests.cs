using System.Text.RegularExpressions;
using Hub.Core.Services;
using Hub.Testing;

namespace Hub.Repository.Tests;

/// <summary>The indexed service settings (<c>Services__{n}__…</c>) are documented in docs/settings.md as the code reads them, with their defaults.</summary>
public sealed partial class ServicesSettingsDocumentationTests
{
    [Fact]
    public void SettingsDocument_ListsEveryServiceSettingWithItsDefault()
    {
        string document = File.ReadAllText(RepositoryPaths.InRoot("docs", "settings.md"));
        var rows = ServiceRow().Matches(document).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["default"].Value.Trim() is "*(empty)*" ? "" : m.Groups["default"].Value.Trim().Trim('`'));
        var expected = ServicesSettings.Keys.ToDictionary(k => $"{ServicesSettings.Section}__{{n}}__{k.Name}", k => k.Default);

        Assert.Equal(expected.Keys.Order(), rows.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.True(value == rows[key], $"docs/settings.md says the default of {key} is '{rows[key]}', but it is '{value}'");
        }
    }

    // | `Services__{n}__Key` | meaning | default |
    [GeneratedRegex(@"^\|\s*`(?<key>Services__\{n\}__[A-Za-z_{}]+)`\s*\|[^|\n]*\|(?<default>[^|\n]*)\|\s*$", RegexOptions.Multiline)]
    private static partial Regex ServiceRow();
}
