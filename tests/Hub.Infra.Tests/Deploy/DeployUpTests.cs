using Hub.Testing;

namespace Hub.Infra.Tests.Deploy;

/// <summary>
/// <c>infra/deploy.sh up</c> end to end against stand-ins: the Azure CLI (fake-az.sh) and docker, dotnet and curl
/// (fake-tool.sh), which record their calls in one log. The case that matters is a subscription on free credits
/// (Azure for Students), where ACR refuses <c>az acr build</c> with <c>TasksOperationsNotAllowed</c>: the script builds
/// the gateway image with a local Docker and pushes it to the hub's registry, or stops naming Docker and
/// <c>--gateway-image</c> before changing the running hub.
/// </summary>
public sealed class DeployUpTests : IAsyncLifetime
{
    private const string Registry = "hubcrfake.registry.test";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly string _folder = Directory.CreateTempSubdirectory("hub-deploy-up-").FullName;

    private string Log => Path.Combine(_folder, "az.log");

    private string State => Path.Combine(_folder, "state");

    private string Bin => Path.Combine(_folder, "bin");

    /// <summary>The system's commands without docker, so "no Docker" holds on a machine that has one.</summary>
    private string SystemTools => Path.Combine(_folder, "system");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(State);
        Directory.CreateDirectory(SystemTools);
        InstallStandIn("fake-az.sh", "az");
        InstallStandIn("fake-tool.sh", "dotnet");
        InstallStandIn("fake-tool.sh", "curl");
        foreach (string directory in new[] { "/usr/bin", "/bin" })
        {
            foreach (string tool in Directory.EnumerateFiles(directory))
            {
                string link = Path.Combine(SystemTools, Path.GetFileName(tool));
                if (Path.GetFileName(tool) != "docker" && !File.Exists(link))
                {
                    File.CreateSymbolicLink(link, tool);
                }
            }
        }
        File.WriteAllText(Log, "");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Up_WhenAcrTasksWork_BuildsInTheRegistryAndDeploysThatImage()
    {
        var (code, output) = await RunUpAsync([]);

        Assert.True(code == 0, output);
        var calls = Calls();
        string build = Assert.Single(calls, c => c.StartsWith("acr build --registry hubcrfake --image hub-gateway:", StringComparison.Ordinal));
        string tag = build.Split(' ')[5]["hub-gateway:".Length..];
        Assert.Contains($"gatewayImage={Registry}/hub-gateway:{tag}", Deployments(calls)[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.StartsWith("docker ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_WhenAcrTasksAreRefusedAndDockerIsThere_BuildsAndPushesLocallyAndDeploysThatImage()
    {
        InstallStandIn("fake-tool.sh", "docker");

        var (code, output) = await RunUpAsync([], refuseAcrTasks: true);

        Assert.True(code == 0, output);
        Assert.Contains("building the image with the local Docker and pushing it to " + Registry, output, StringComparison.Ordinal);
        var calls = Calls();
        int refused = calls.FindIndex(c => c.StartsWith("acr build ", StringComparison.Ordinal));
        int login = calls.FindIndex(c => c == "acr login --name hubcrfake");
        int build = calls.FindIndex(c => c.StartsWith($"docker build --platform linux/amd64 -t {Registry}/hub-gateway:", StringComparison.Ordinal));
        int push = calls.FindIndex(c => c.StartsWith($"docker push {Registry}/hub-gateway:", StringComparison.Ordinal));
        Assert.True(refused >= 0 && login > refused && build > login && push > build, string.Join(Environment.NewLine, calls));
        string image = calls[push]["docker push ".Length..];
        Assert.Equal($"{Registry}/hub-gateway:", image[..(Registry.Length + "/hub-gateway:".Length)]);
        // The deployment goes on: the control plane's package, then the template with the pushed image.
        var deployments = Deployments(calls);
        Assert.Equal(2, deployments.Count);
        Assert.Contains($"gatewayImage={image} ", deployments[1] + " ", StringComparison.Ordinal);
        Assert.True(calls.IndexOf(deployments[1]) > push);
        Assert.Contains(calls, c => c.StartsWith("functionapp deployment source config-zip", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_WhenAcrTasksAreRefusedWithoutDocker_NamesDockerAndTheGatewayImageOptionAndChangesNothing()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        var (code, output) = await RunUpAsync([], refuseAcrTasks: true);

        Assert.NotEqual(0, code);
        Assert.Contains("TasksOperationsNotAllowed", output, StringComparison.Ordinal);
        Assert.Contains("ACR Tasks are not available on free-credit subscriptions", output, StringComparison.Ordinal);
        Assert.Contains("install Docker and run again", output, StringComparison.Ordinal);
        Assert.Contains("pass --gateway-image IMAGE", output, StringComparison.Ordinal);
        var calls = Calls();
        Assert.DoesNotContain(calls, c => c.StartsWith("docker ", StringComparison.Ordinal));
        // Only the first, infrastructure deployment ran (with the image the gateway had: none); no code was uploaded.
        string deployment = Assert.Single(Deployments(calls));
        Assert.Contains("gatewayImage= ", deployment, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.StartsWith("functionapp ", StringComparison.Ordinal));
        Assert.True(started.Elapsed < Timeout, $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Up_WithAGatewayImage_BuildsNothingAndDeploysThatImage()
    {
        InstallStandIn("fake-tool.sh", "docker");
        const string image = "example/hub-gateway:v1";

        var (code, output) = await RunUpAsync(["--gateway-image", image], refuseAcrTasks: true);

        Assert.True(code == 0, output);
        var calls = Calls();
        Assert.DoesNotContain(calls, c => c.StartsWith("acr ", StringComparison.Ordinal) || c.StartsWith("docker ", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.StartsWith("dotnet publish", StringComparison.Ordinal) && c.Contains("Hub.Gateway.csproj", StringComparison.Ordinal));
        Assert.Contains($"gatewayImage={image} ", Deployments(calls)[^1] + " ", StringComparison.Ordinal);
    }

    private void InstallStandIn(string script, string name)
    {
        string path = Path.Combine(Bin, name);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Deploy", script), path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private List<string> Calls() => File.ReadAllLines(Log).ToList();

    private static List<string> Deployments(List<string> calls) =>
        calls.Where(c => c.StartsWith("deployment group create", StringComparison.Ordinal)).ToList();

    private async Task<(int Code, string Output)> RunUpAsync(string[] arguments, bool refuseAcrTasks = false)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = Bin + ":" + SystemTools,
            ["FAKE_AZ_LOG"] = Log,
            ["FAKE_AZ_STATE"] = State,
            ["FAKE_AZ_TEMPLATE"] = RepositoryPaths.InRoot("infra", "azuredeploy.json"),
            ["FAKE_AZ_ACR_TASKS"] = refuseAcrTasks ? "refused" : "",
            ["HUB_ARTIFACTS_DIR"] = Path.Combine(_folder, "artifacts"),
            ["HUB_BUILD_TIMEOUT"] = "60",
            ["HUB_HEALTH_TIMEOUT"] = "60",
            ["TMPDIR"] = _folder,
        };
        await using var process = ChildProcess.Start("bash", [DeployScriptTests.ScriptPath, "up", "-g", "hub-test", .. arguments], RepositoryPaths.Root, environment);
        int code = await process.WaitForExitAsync(Timeout);
        return (code, process.Output);
    }
}
