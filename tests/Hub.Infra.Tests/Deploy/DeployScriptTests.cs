using Hub.Testing;

namespace Hub.Infra.Tests.Deploy;

/// <summary>
/// infra/deploy.sh: shell checks, its argument handling, and its conversation with the Azure CLI, played by a
/// recording stand-in (fake-az.sh) because Azure cannot be reached from here. The stand-in refuses parameters the
/// template does not declare. <c>up</c>, which builds and uploads code, is run in <see cref="DeployUpTests"/>.
/// </summary>
public sealed class DeployScriptTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("hub-deploy-").FullName;

    private string Log => Path.Combine(_folder, "az.log");

    private string State => Path.Combine(_folder, "state");

    public static string ScriptPath => RepositoryPaths.InRoot("infra", "deploy.sh");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "bin"));
        Directory.CreateDirectory(State);
        string az = Path.Combine(_folder, "bin", "az");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Deploy", "fake-az.sh"), az);
        File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Log, "");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Script_PassesBashSyntaxCheck()
    {
        var (code, output) = await RunAsync("bash", ["-n", ScriptPath]);

        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Script_PassesShellcheck()
    {
        // ./hub setup installs shellcheck (DEBIAN_PACKAGES), so CI always has it.
        var (code, output) = await RunAsync("shellcheck", ["--severity=style", ScriptPath, Path.Combine(AppContext.BaseDirectory, "Deploy", "fake-az.sh"), Path.Combine(AppContext.BaseDirectory, "Deploy", "fake-tool.sh")]);

        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Help_PrintsTheCommandsAndOptions()
    {
        var (code, output) = await RunAsync("bash", [ScriptPath, "--help"]);

        Assert.Equal(0, code);
        Assert.Contains("infra/deploy.sh down", output, StringComparison.Ordinal);
        Assert.Contains("--resource-group", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy", "unknown command \"deploy\"")]
    [InlineData("up --colour", "unknown option \"--colour\"")]
    [InlineData("infra -g", "-g needs a value")]
    [InlineData("infra -g bad/name", "--resource-group must be")]
    [InlineData("infra -l West-Europe", "--location must be a region name")]
    [InlineData("infra -p nowhere.json", "nowhere.json does not exist")]
    [InlineData("up --gateway-image", "--gateway-image needs a value")]
    [InlineData("up --gateway-image Bad_Image!", "--gateway-image must be an image reference")]
    public async Task BadArguments_AreRefusedWithTheProblemNamed(string arguments, string problem)
    {
        var (code, output) = await RunScriptAsync(arguments.Split(' '));

        Assert.NotEqual(0, code);
        Assert.Contains(problem, output, StringComparison.Ordinal);
        Assert.Equal("", File.ReadAllText(Log));
    }

    [Fact]
    public async Task Infra_WithoutTheAzureCli_SaysWhatIsMissing()
    {
        var (code, output) = await RunAsync("bash", [ScriptPath, "infra"], new() { ["PATH"] = "/usr/bin:/bin" });

        Assert.NotEqual(0, code);
        Assert.Contains("missing tools: az", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.59.1")]
    [InlineData("2.9.0")]
    [InlineData("1.99.99")]
    public async Task Infra_WithAnAzureCliOlderThan260_SaysWhichVersionIsNeededAndDeploysNothing(string version)
    {
        var (code, output) = await RunScriptAsync(["infra", "-g", "hub-test"], new() { ["FAKE_AZ_VERSION"] = version });

        Assert.NotEqual(0, code);
        Assert.Contains($"Azure CLI {version} is too old: 2.60.0 or later is needed", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Calls(), c => c.StartsWith("deployment group create", StringComparison.Ordinal) || c.StartsWith("group create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Infra_DeploymentThatNeverEnds_IsStoppedAtItsBoundWithTheCommandToLookFurther()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        var (code, output) = await RunScriptAsync(["infra", "-g", "hub-test"], new() { ["FAKE_AZ_HANG"] = "deployment", ["HUB_DEPLOY_TIMEOUT"] = "3" });

        Assert.NotEqual(0, code);
        Assert.Contains("did not finish within 0 minutes; see its state: az deployment group show -g hub-test", output, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
        // The key file of the stopped deployment is gone with the work folder.
        Assert.Equal(["az.log", "bin", "state"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName).Order());
    }

    /// <summary>bash before 4.4 (macOS ships 3.2) aborts on "${a[@]}" of an empty array under set -u: every such expansion is guarded.</summary>
    [Fact]
    public void Script_ExpandsArraysOnlyInTheFormOldBashAcceptsWhenEmpty()
    {
        string script = File.ReadAllText(ScriptPath);

        var unguarded = System.Text.RegularExpressions.Regex.Matches(script, @"(?<!\$\{\w+\[@\]\+)""\$\{\w+\[@\]\}""").Select(m => m.Value).ToList();

        Assert.Empty(unguarded);
        Assert.Contains("${secret_args[@]+\"${secret_args[@]}\"}", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infra_FirstDeployment_CreatesTheGroupAndStoresANewKeyFromAPrivateFile()
    {
        var (code, output, result) = await RunScriptWithResultAsync(["infra", "-g", "hub-test", "-l", "northeurope"]);

        Assert.True(code == 0, output);
        var calls = Calls();
        Assert.Contains("group create --name hub-test --location northeurope --query id -o tsv", calls);
        Assert.Contains(calls, c => c.StartsWith("provider register --namespace Microsoft.ContainerInstance", StringComparison.Ordinal));
        string deployment = Assert.Single(calls, c => c.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.Contains("storeHubSecretKey=true", deployment, StringComparison.Ordinal);
        Assert.Contains("gatewayImage=", deployment, StringComparison.Ordinal);
        Assert.Contains("secret parameters file mode 600", calls);
        Assert.DoesNotContain("hubSecretKey=", deployment, StringComparison.Ordinal);
        // The URL alone on stdout, so a caller can capture it; progress (with terminal colours) goes to stderr.
        Assert.Equal("https://hub-gateway.example.test/hub/", result);
        // The script's work folder (with the key file) is gone: only the stand-in's own files are left.
        Assert.Equal(["az.log", "bin", "state"], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Infra_SecondDeployment_KeepsTheHubSecretKey()
    {
        var (first, firstOutput) = await RunScriptAsync(["infra", "-g", "hub-test"]);
        File.WriteAllText(Log, "");

        var (second, output) = await RunScriptAsync(["infra", "-g", "hub-test"]);

        Assert.True(first == 0, firstOutput);
        Assert.True(second == 0, output);
        var calls = Calls();
        Assert.DoesNotContain(calls, c => c.StartsWith("group create", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("resource show --resource-group hub-test --namespace Microsoft.KeyVault --parent vaults/hubkvfake --resource-type secrets --name hub-secret-key", StringComparison.Ordinal));
        string deployment = Assert.Single(calls, c => c.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.Contains("storeHubSecretKey=false", deployment, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.StartsWith("secret parameters file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Down_WithoutConfirmation_DeletesNothing()
    {
        File.WriteAllText(Path.Combine(State, "group"), "");

        var (code, output) = await RunScriptAsync(["down", "-g", "hub-test"]);

        Assert.NotEqual(0, code);
        Assert.Contains("needs a confirmation", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Calls(), c => c.Contains("delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Down_DeletesServersThenTheGroupThenPurgesTheVault()
    {
        File.WriteAllText(Path.Combine(State, "group"), "");

        var (code, output) = await RunScriptAsync(["down", "-g", "hub-test", "--yes"]);

        Assert.True(code == 0, output);
        var calls = Calls();
        int servers = calls.FindIndex(c => c.StartsWith("resource delete --ids /subscriptions/fake/containerGroups/u-alice /subscriptions/fake/containerGroups/u-bob", StringComparison.Ordinal));
        int group = calls.FindIndex(c => c == "group delete --name hub-test --yes");
        int purge = calls.FindIndex(c => c == "keyvault purge --name hubkvfake");
        Assert.True(servers >= 0 && group > servers && purge > group, string.Join(Environment.NewLine, calls));
    }

    [Fact]
    public async Task Down_WhenTheGroupIsGone_SaysSoAndDeletesNothing()
    {
        var (code, output) = await RunScriptAsync(["down", "-g", "hub-test", "--yes"]);

        Assert.Equal(0, code);
        Assert.Contains("nothing to delete", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Calls(), c => c.Contains("delete", StringComparison.Ordinal));
    }

    private List<string> Calls() => File.ReadAllLines(Log).ToList();

    private async Task<(int Code, string Output)> RunScriptAsync(string[] arguments, Dictionary<string, string?>? extra = null)
    {
        var (code, output, _) = await RunScriptWithResultAsync(arguments, extra);
        return (code, output);
    }

    private Task<(int Code, string Output, string StandardOutput)> RunScriptWithResultAsync(string[] arguments, Dictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = Path.Combine(_folder, "bin") + ":/usr/bin:/bin",
            ["FAKE_AZ_LOG"] = Log,
            ["FAKE_AZ_STATE"] = State,
            ["FAKE_AZ_TEMPLATE"] = RepositoryPaths.InRoot("infra", "azuredeploy.json"),
            ["TMPDIR"] = _folder,
        };
        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }
        return RunWithResultAsync("bash", [ScriptPath, .. arguments], environment);
    }

    private static async Task<(int Code, string Output)> RunAsync(string command, string[] arguments, Dictionary<string, string?>? environment = null)
    {
        var (code, output, _) = await RunWithResultAsync(command, arguments, environment);
        return (code, output);
    }

    private static async Task<(int Code, string Output, string StandardOutput)> RunWithResultAsync(string command, string[] arguments, Dictionary<string, string?>? environment)
    {
        await using var process = ChildProcess.Start(command, arguments, RepositoryPaths.Root, environment);
        int code = await process.WaitForExitAsync(Timeout);
        return (code, process.Output, process.StandardOutput.TrimEnd());
    }
}
