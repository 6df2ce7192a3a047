using System.Security.Cryptography;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions;
using Hub.Gateway;
using Hub.Testing;
using Hub.Testing.Spawning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hub.Browser.Tests.Support;

/// <summary>
/// The whole local hub as a student's browser meets it: Azurite, the control plane and the gateway (real Kestrel
/// hosts on loopback), local Jupyter processes (through a slow launcher, see slow-jupyter.sh), and Debian's Chromium
/// driven by Playwright. One per test collection; everything it started is stopped on dispose.
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
    private WebApplication? _controlPlane;
    private WebApplication? _gateway;
    private IPlaywright? _playwright;

    public Uri Address { get; private set; } = null!;

    /// <summary>The hub's origin as a regular expression fragment, to tell <c>/user/…</c> from <c>/hub/user/…</c> in URLs.</summary>
    public string Origin => System.Text.RegularExpressions.Regex.Escape(Address.GetLeftPart(UriPartial.Authority));

    public string DataDirectory { get; private set; } = null!;

    private string _launcherDirectory = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IServiceProvider ControlPlane => _controlPlane!.Services;

    public IServiceProvider Gateway => _gateway!.Services;

    public IHubStore Store => ControlPlane.GetRequiredService<IHubStore>();

    public IServerLifecycle Lifecycle => ControlPlane.GetRequiredService<IServerLifecycle>();

    /// <summary>Where the screenshots go: <c>screenshots/</c> in the test output folder.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        DataDirectory = Directory.CreateTempSubdirectory("hub-browser-").FullName;
        string prefix = AzuriteFixture.UniqueTableName("br");
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        int gatewayPort = FreePort.Next();
        Address = new Uri($"http://127.0.0.1:{gatewayPort}");
        string launcher = CopyLauncherWhereEveryAccountCanRead();
        // The tables exist before the control plane's timers first read them.
        await new Hub.Azure.Store.TableHubStore(_azurite.Tables, prefix).InitializeAsync();

        _controlPlane = ControlPlaneApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ControlPlane:ListenUrl"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Hub:DataDirectory"] = DataDirectory,
            ["Hub:SecretKey"] = key,
            ["Hub:PublicUrl"] = Address.AbsoluteUri,
            ["Auth:AdminUsers"] = Admin,
            ["Spawner:ReconcileInterval"] = "00:00:02",
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
            ["Logging:LogLevel:Default"] = "Warning",
            // Tiny quotas for the usage-notice tests' students only (nobody else has one), over a term around today.
            ["Quota:Users"] = UsageNoticeTests.QuotaRules,
            ["Quota:Period"] = "term",
            ["Quota:TermStart"] = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Quota:TermEnd"] = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }));
        await _controlPlane.StartAsync();
        string controlPlaneUrl = _controlPlane.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _gateway = GatewayApp.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ListenUrl"] = Address.AbsoluteUri,
            ["Gateway:ControlPlaneUrl"] = controlPlaneUrl,
            ["Gateway:RouteRefreshInterval"] = "200ms",
            // Activity reaches the store within a moment, so a cull run sees what the browser just did.
            ["Gateway:ActivityWriteInterval"] = "500ms",
            ["Hub:SecretKey"] = key,
            ["Hub:PublicUrl"] = Address.AbsoluteUri,
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await _gateway.StartAsync();

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
    public async Task RunTimerAsync(string job)
    {
        string controlPlane = ControlPlane.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(controlPlane) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + job)
        {
            Content = new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(Hub.Core.Security.TimerInvocationHeader.Name, ControlPlane.GetRequiredService<Hub.Core.Security.TimerInvocationHeader>().Value);
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
    }

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
            if (_controlPlane is not null)
            {
                await StopEveryServerAsync();
            }
        }
        finally
        {
            if (_gateway is not null)
            {
                await _gateway.StopAsync();
                await _gateway.DisposeAsync();
            }
            if (_controlPlane is not null)
            {
                await _controlPlane.StopAsync();
                await _controlPlane.DisposeAsync();
            }
            await LocalServers.StopAllAsync(DataDirectory);
            await _azurite.DisposeAsync();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
                Directory.Delete(_launcherDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a process that is going away.
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

    private async Task StopEveryServerAsync()
    {
        var stops = new List<Task>();
        await foreach (var record in Store.Servers.ListActiveAsync())
        {
            stops.Add(Lifecycle.RequestStopAsync(record.Key));
        }
        await Task.WhenAll(stops);
        await Eventually.UntilAsync(async () =>
        {
            await foreach (var _ in Store.Servers.ListActiveAsync())
            {
                return false;
            }
            return true;
        }, TimeSpan.FromSeconds(60), "every server to stop");
    }
}

[CollectionDefinition(Name)]
public sealed class HubStackCollection : ICollectionFixture<HubStack>
{
    public const string Name = "hub stack";
}
