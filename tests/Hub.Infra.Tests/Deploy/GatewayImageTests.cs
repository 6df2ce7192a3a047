using System.Text.RegularExpressions;
using Hub.Core.Configuration;
using Hub.Gateway.Hosting;
using Hub.Infra.Tests.Arm;
using Hub.Testing;
using Microsoft.Extensions.Configuration;

namespace Hub.Infra.Tests.Deploy;

/// <summary>
/// gateway/Dockerfile: a Debian base named without a registry host, the self-contained gateway that deploy.sh
/// stages, a non-root user, and the port that the template's ingress and probes use. (No image is built here:
/// Docker cannot run containers on this machine; <c>az acr build</c> builds it in Azure.)
/// </summary>
public sealed partial class GatewayImageTests
{
    private static readonly string Dockerfile = File.ReadAllText(RepositoryPaths.InRoot("gateway", "Dockerfile"));

    [Fact]
    public void Base_IsDebianFromTheDefaultRegistryWithoutAHostName()
    {
        var bases = FromLine().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(["debian:bookworm-slim"], bases);
        Assert.All(bases, image => Assert.DoesNotContain('.', image.Split('/')[0]));
    }

    [Fact]
    public void Image_HasWhatSelfContainedDotNetNeeds()
    {
        Assert.Contains("ca-certificates", Dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"libicu\d+", Dockerfile);
        Assert.Contains("--no-install-recommends", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("rm -rf /var/lib/apt/lists/*", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_RunsTheStagedGatewayAsAnUnprivilegedUser()
    {
        string script = File.ReadAllText(DeployScriptTests.ScriptPath);

        Assert.Contains("COPY app/ /app/", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"/app/Hub.Gateway\"]", Dockerfile, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER [1-9][0-9]{3,}$", Dockerfile);
        // deploy.sh stages exactly that context: the publish output in app/ and this Dockerfile beside it.
        Assert.Contains("-o \"$context/app\"", script, StringComparison.Ordinal);
        Assert.Contains("cp \"$ROOT/gateway/Dockerfile\" \"$context/Dockerfile\"", script, StringComparison.Ordinal);
        Assert.Contains("gateway/Hub.Gateway/Hub.Gateway.csproj\" -c Release -r linux-x64 --self-contained true", script, StringComparison.Ordinal);
        Assert.Equal("Hub.Gateway", typeof(GatewayOptions).Assembly.GetName().Name);
    }

    [Fact]
    public void Image_ListensOnTheTemplatesPortWithAValidSetting()
    {
        int port = (int)ArmTemplate.Load().Variables["gatewayPort"]!;
        string listenUrl = ListenUrl().Match(Dockerfile).Groups[1].Value;
        var problems = new SettingsProblems();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Gateway:ListenUrl", listenUrl)]).Build();

        SettingsBinder.Bind<GatewayOptions>(configuration, problems);

        Assert.Empty(problems.Messages);
        Assert.Equal(port, new Uri(listenUrl).Port);
        Assert.Contains($"EXPOSE {port}", Dockerfile, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?m)^FROM\s+(\S+)")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(?m)^ENV Gateway__ListenUrl=(\S+)")]
    private static partial Regex ListenUrl();
}
