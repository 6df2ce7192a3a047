using System.Text.RegularExpressions;
using Hub.Testing;

namespace Hub.Infra.Tests.Deploy;

/// <summary>The deployment files name no package or image registry host and no machine path (house rules).</summary>
public sealed partial class RegistryHostTests
{
    public static TheoryData<string> DeploymentFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(RepositoryPaths.InRoot("infra"), "*", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                     .Append(RepositoryPaths.InRoot("gateway", "Dockerfile"))
                     .Append(RepositoryPaths.InRoot("tests", "Hub.Infra.Tests", "Deploy", "fake-az.sh")))
        {
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DeploymentFiles))]
    public void File_NamesNoRegistryHostOrMachinePath(string file)
    {
        string text = File.ReadAllText(RepositoryPaths.InRoot(file));

        Assert.DoesNotMatch(RegistryHost(), text);
        Assert.DoesNotMatch(MachinePath(), text);
    }

    [Fact]
    public void Check_FindsARegistryHost()
    {
        Assert.Matches(RegistryHost(), "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0");
        Assert.Matches(RegistryHost(), "image: hubcr123.azurecr.io/hub-gateway:1");
        Assert.DoesNotMatch(RegistryHost(), "FROM debian:bookworm-slim");
    }

    [GeneratedRegex(@"(?i)\b(mcr\.microsoft\.com|docker\.io|quay\.io|ghcr\.io|gcr\.io|[a-z0-9-]+\.azurecr\.io|registry\.npmjs\.org|nuget\.org|pypi\.org)\b")]
    private static partial Regex RegistryHost();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.$])/(work|tmp)/[A-Za-z0-9]")]
    private static partial Regex MachinePath();
}
