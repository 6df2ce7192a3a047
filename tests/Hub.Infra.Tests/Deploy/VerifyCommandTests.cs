using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Testing;
using Hub.Testing.Hosting;
using Hub.Testing.Spawning;

namespace Hub.Infra.Tests.Deploy;

/// <summary>
/// <c>infra/deploy.sh verify</c> (the stand-in az gives it the local hub's URL as the deployment's) and
/// <c>infra/verify.sh</c> against the whole local hub: Azurite, the control plane and the gateway on loopback, and a
/// real Jupyter process as the test user's server. The check that the control plane refuses requests past the gateway
/// needs Azure's access restrictions and is skipped here; a hub that does not answer fails naming the resources.
/// </summary>
public sealed class VerifyCommandTests : IAsyncLifetime
{
    private const string Admin = "teacher";
    private readonly AzuriteFixture _azurite = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("hub-verify-").FullName;
    private HubHost? _host;
    private Uri _address = null!;

    private string DataDirectory => Path.Combine(_folder, "data");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        // As root the hub runs the test server as its own account, which must pass through this folder to its home.
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(Path.Combine(_folder, "bin"));
        Directory.CreateDirectory(Path.Combine(_folder, "state"));
        string az = Path.Combine(_folder, "bin", "az");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Deploy", "fake-az.sh"), az);
        File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(_folder, "state", "deployed"), "");

        _host = await HubHost.StartAsync(new HubHostOptions
        {
            Parts = HubParts.Both,
            Azurite = _azurite,
            TablePrefix = AzuriteFixture.UniqueTableName("vf"),
            Spawner = HubSpawner.LocalJupyter,
            DataDirectory = DataDirectory,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            ControlPlaneSettings = new Dictionary<string, string?>
            {
                ["Auth:AdminUsers"] = Admin,
                // Every timer runs every 2 seconds, so each last-run gauge is there to check.
                ["TIMER_SCHEDULE_CULL_IDLE"] = "*/2 * * * * *",
                ["TIMER_SCHEDULE_RECONCILE"] = "*/2 * * * * *",
                ["TIMER_SCHEDULE_PREWARM"] = "*/2 * * * * *",
            },
        });
        _address = _host.Address;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_host is not null)
            {
                // Stops the hosts and any server process left.
                await _host.DisposeAsync();
            }
        }
        finally
        {
            await _azurite.DisposeAsync();
            TemporaryFolder.Delete(_folder);
        }
    }

    [Fact]
    public async Task DeployScriptVerify_LocalHub_PassesEveryCheckThatAppliesAndStopsTheTestServer()
    {
        string token = await AdminTokenAsync();

        var (code, output) = await RunAsync("bash", [DeployScriptTests.ScriptPath, "verify", "-g", "hub-test", "--user", "verify-student"], new()
        {
            ["PATH"] = Path.Combine(_folder, "bin") + ":/usr/bin:/bin",
            ["FAKE_AZ_LOG"] = Path.Combine(_folder, "az.log"),
            ["FAKE_AZ_STATE"] = Path.Combine(_folder, "state"),
            ["FAKE_AZ_TEMPLATE"] = RepositoryPaths.InRoot("infra", "azuredeploy.json"),
            ["FAKE_AZ_HUB_URL"] = _address.AbsoluteUri.TrimEnd('/'),
            ["HUB_VERIFY_TOKEN"] = token,
            ["TMPDIR"] = _folder,
        });

        Assert.True(code == 0, output);
        foreach (string check in new[]
        {
            "gateway health", "control plane through the gateway", "culler ran within its period", "reconcile ran within its period",
            "pre-warm ran within its period", "test server starts",
            "test server answers through the gateway", "home share mounted and writable", "test server stops", "files survive a restart",
        })
        {
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output, $"(?m)^PASS +{System.Text.RegularExpressions.Regex.Escape(check)} "), output);
        }
        Assert.Matches("(?m)^SKIP +control plane refuses requests past the gateway ", output);
        // The periods come from the hub's own schedules, not the defaults.
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(output, "(?m)^PASS +.* ran within its period .*, period 2s$").Count);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        // The test user's server is stopped again, and the file it wrote is gone.
        Assert.Equal(0, LocalServers.CountJupyterProcesses(DataDirectory, "/user/verify-student/"));
        string home = Assert.Single(Directory.GetDirectories(Path.Combine(DataDirectory, "homes"), "verify-student"));
        Assert.Empty(Directory.EnumerateFiles(home, "hub-verify-*.txt"));
    }

    [Fact]
    public async Task Verify_NothingAnswers_FailsNamingTheResourcesToLookAt()
    {
        var (code, output) = await RunAsync("bash", [RepositoryPaths.InRoot("infra", "verify.sh"), "--url", $"http://127.0.0.1:{FreePort.Next()}",
            "--gateway-resource", "container app hub-gw", "--control-plane-resource", "function app hub-cp"], new() { ["HUB_VERIFY_TOKEN"] = "" });

        Assert.Equal(1, code);
        Assert.Matches("(?m)^FAIL +gateway health .*answered 000", output);
        Assert.Contains("look at: container app hub-gw", output, StringComparison.Ordinal);
        Assert.Matches("(?m)^FAIL +control plane through the gateway ", output);
        Assert.Contains("look at: function app hub-cp", output, StringComparison.Ordinal);
        Assert.Matches("(?m)^SKIP +test server starts .*HUB_VERIFY_TOKEN is not set", output);
        Assert.Matches("(?m)^SKIP +pre-warm ran within its period .*HUB_VERIFY_TOKEN is not set", output);
    }

    [Fact]
    public async Task Verify_Shellcheck_Clean()
    {
        var (code, output) = await RunAsync("shellcheck", ["--severity=style", RepositoryPaths.InRoot("infra", "verify.sh")], null);

        Assert.True(code == 0, output);
    }

    /// <summary>Logs the admin in through the gateway (the dummy authenticator takes any password) and makes an API token.</summary>
    private async Task<string> AdminTokenAsync()
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hub/login")).StatusCode);
        string xsrf = cookies.GetCookies(new Uri(_address, "/hub/"))["_xsrf"]!.Value;
        var login = await client.PostAsync("/hub/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = Admin, ["password"] = "anything", ["_xsrf"] = xsrf }));
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hub/api/users/{Admin}/tokens") { Content = JsonContent.Create(new { note = "verify" }) };
        request.Headers.Add("X-XSRFToken", cookies.GetCookies(new Uri(_address, "/hub/"))["_xsrf"]!.Value);
        var created = await client.SendAsync(request);
        string body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<(int Code, string Output)> RunAsync(string command, string[] arguments, Dictionary<string, string?>? environment)
    {
        await using var process = ChildProcess.Start(command, arguments, RepositoryPaths.Root, environment);
        int code = await process.WaitForExitAsync(TimeSpan.FromMinutes(4));
        return (code, process.Output);
    }
}
