using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Testing;
using Hub.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hub.Browser.Tests.Support;

/// <summary>
/// The whole local hub as a student's browser meets it: Azurite, the control plane and the gateway (a
/// <see cref="HubHost"/>: real Kestrel hosts on loopback), local Jupyter processes (through a slow launcher, see
/// slow-jupyter.sh), and Debian's Chromium driven by Playwright. One per test collection; everything it started is
/// stopped on dispose.
/// </summary>
public sealed class HubStack : IAsyncLifetime
{
    /// <summary>Signs in as an admin with any password (the dummy authenticator).</summary>
    public const string Admin = "teacher";

    /// <summary>The profile whose start fails (its launcher exits at once).</summary>
    public const string BrokenProfile = "broken";

    /// <summary>What the broken profile's launcher prints before it exits.</summary>
    public const string BrokenReason = "simulated start failure";

    /// <summary>The profile that runs Debian's unmodified <c>jupyterhub-singleuser</c> (reporting activity every 2 s).</summary>
    public const string HubAwareProfile = "hub-aware";

    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly AzuriteFixture _azurite = new();
    private HubHost? _host;
    private IPlaywright? _playwright;

    public Uri Address => _host!.Address;

    /// <summary>The hub's origin as a regular expression fragment, to tell <c>/user/…</c> from <c>/hub/user/…</c> in URLs.</summary>
    public string Origin => System.Text.RegularExpressions.Regex.Escape(Address.GetLeftPart(UriPartial.Authority));

    public string DataDirectory => _host!.DataDirectory!;

    private string _launcherDirectory = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IServiceProvider ControlPlane => _host!.ControlPlane;

    public IServiceProvider Gateway => _host!.Gateway;

    public IHubStore Store => _host!.Store;

    public IServerLifecycle Lifecycle => ControlPlane.GetRequiredService<IServerLifecycle>();

    /// <summary>Where the screenshots go: <c>screenshots/</c> in the test output folder.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        string launcher = CopyLauncherWhereEveryAccountCanRead();
        _host = await HubHost.StartAsync(new HubHostOptions
        {
            Parts = HubParts.Both,
            Azurite = _azurite,
            TablePrefix = AzuriteFixture.UniqueTableName("br"),
            Spawner = HubSpawner.LocalJupyter,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            ControlPlaneSettings = new Dictionary<string, string?>
            {
                ["Auth:AdminUsers"] = Admin,
                // Answer a start at once (202), so the browser follows it on the progress page.
                ["Spawner:SlowSpawnTimeout"] = "00:00:00",
                ["Spawner:SlowStopTimeout"] = "00:00:05",
                ["Spawner:Profiles"] = System.Text.Json.JsonSerializer.Serialize(new object[]
                {
                    new { slug = "standard", displayName = "Standard", @default = true },
                    new { slug = BrokenProfile, displayName = "Broken (fails to start)", environment = new Dictionary<string, string> { ["HUB_TEST_START_FAILURE"] = BrokenReason } },
                    new
                    {
                        slug = HubAwareProfile, displayName = "Hub-aware (jupyterhub-singleuser)", serverKind = "jupyterhub-singleuser",
                        command = "env JUPYTERHUB_ACTIVITY_INTERVAL=2 jupyterhub-singleuser --allow-root --notebook-dir={home}",
                    },
                }),
                ["Limits:StartAttempts"] = "1",
                // One start at a time: a second one waits in the queue, which the progress page shows.
                ["Limits:ConcurrentSpawns"] = "1",
                ["LocalProcess:Command"] = "/bin/sh " + launcher + " {port} {base_url} {home}",
                // Tiny quotas for the usage-notice tests' students only (nobody else has one), over a term around today.
                ["Quota:Users"] = UsageNoticeTests.QuotaRules,
                ["Quota:Period"] = "term",
                ["Quota:TermStart"] = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["Quota:TermEnd"] = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            },
            GatewaySettings = new Dictionary<string, string?>
            {
                // Activity reaches the store within a moment, so a cull run sees what the browser just did.
                ["Gateway:ActivityWriteInterval"] = "500ms",
            },
        });

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArguments,
            Timeout = 60_000,
        });
        Directory.CreateDirectory(ScreenshotDirectory);
        // Waits end as soon as their condition holds; the cap is for a machine busy with other test runs.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    /// <summary>A fresh browser profile (no cookies) on the hub, desktop-sized unless told otherwise.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 860)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    /// <summary>Saves a full-page screenshot as <c>screenshots/{name}.png</c>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Runs a timer job now, as the Functions host would: a POST to the control plane with the timer header.</summary>
    public Task RunTimerAsync(string job) => _host!.RunTimerAsync(job);

    public async Task<ServerRecord?> ServerAsync(string user) => await Store.Servers.GetAsync(new ServerKey(user, ""));

    public async Task DisposeAsync()
    {
        try
        {
            if (Browser is not null)
            {
                await Browser.CloseAsync();
            }
            _playwright?.Dispose();
        }
        finally
        {
            try
            {
                if (_host is not null)
                {
                    // Stops every server first, then the hosts and any process left.
                    await _host.DisposeAsync();
                }
            }
            finally
            {
                await _azurite.DisposeAsync();
                TemporaryFolder.Delete(_launcherDirectory);
            }
        }
    }

    /// <summary>
    /// As root the hub runs each server as its user's own account, which must read the launcher; the build output may
    /// sit under a folder only root can enter (a clone in a private temporary folder), so the launcher goes to one of
    /// its own.
    /// </summary>
    private string CopyLauncherWhereEveryAccountCanRead()
    {
        const UnixFileMode everyoneReadsAndRuns = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        _launcherDirectory = Directory.CreateTempSubdirectory("hub-launcher-").FullName;
        File.SetUnixFileMode(_launcherDirectory, everyoneReadsAndRuns);
        string launcher = Path.Combine(_launcherDirectory, "slow-jupyter.sh");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Support", "slow-jupyter.sh"), launcher);
        File.SetUnixFileMode(launcher, everyoneReadsAndRuns);
        return launcher;
    }
}

[CollectionDefinition(Name)]
public sealed class HubStackCollection : ICollectionFixture<HubStack>
{
    public const string Name = "hub stack";
}
