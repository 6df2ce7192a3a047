using System.Text.RegularExpressions;
using Hub.Testing;

namespace Hub.Infra.Tests.Deploy;

/// <summary>The README's Deploy-to-Azure button opens the portal on the raw template of the published repository.</summary>
public sealed partial class DeployButtonTests
{
    private static readonly string Readme = File.ReadAllText(RepositoryPaths.InRoot("README.md"));

    [Fact]
    public void Button_PointsThePortalAtTheRawTemplate()
    {
        var button = Assert.Single(Button().Matches(Readme));
        var template = new Uri(Uri.UnescapeDataString(button.Groups["template"].Value));

        Assert.Equal("https://aka.ms/deploytoazurebutton", button.Groups["badge"].Value);
        Assert.Equal(Uri.UriSchemeHttps, template.Scheme);
        Assert.Equal("raw.githubusercontent.com", template.Host);
        Assert.EndsWith("/infra/azuredeploy.json", template.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(5, template.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Length); // owner, repo, branch, infra, file
        Assert.DoesNotContain('/', button.Groups["template"].Value);
    }

    [Fact]
    public void Readme_SaysTheRepositoryInTheLinkIsAPlaceholder()
    {
        var template = new Uri(Uri.UnescapeDataString(Assert.Single(Button().Matches(Readme)).Groups["template"].Value));
        string ownerAndName = string.Join('/', template.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Take(2));

        Assert.Contains($"**Placeholder:** `{ownerAndName}`", Readme, StringComparison.Ordinal);
    }

    // [![Deploy to Azure](badge)](https://portal.azure.com/#create/Microsoft.Template/uri/<URL-encoded template URL>)
    [GeneratedRegex(@"\[!\[Deploy to Azure\]\((?<badge>[^)]+)\)\]\(https://portal\.azure\.com/#create/Microsoft\.Template/uri/(?<template>[^)\s]+)\)")]
    private static partial Regex Button();
}
