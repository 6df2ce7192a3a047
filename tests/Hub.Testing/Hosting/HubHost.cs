using System.Net;
using System.Security.Cryptography;
using Hub.Azure.Store;
using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions;
using Hub.Gateway;
using Hub.Testing.Spawning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Testing.Hosting;

/// <summary>
/// The hub's real hosts (control plane, gateway or both) on Kestrel bound to 127.0.0.1, with their tables in Azurite,
/// as a test chooses in <see cref="HubHostOptions"/>. Exposes their addresses, services, the hub key and clients;
/// disposing stops the hosts, every local server process they started, and deletes the folders it made.
/// </summary>
public sealed class HubHost : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstSweepCap = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ServersStopTimeout = TimeSpan.FromSeconds(60);

    private readonly HubHostOptions _options;
    private readonly List<HttpClient> _clients = [];
    private readonly bool _ownsDataDirectory;
    private WebApplication? _controlPlane;
    private WebApplication? _gateway;

    private HubHost(HubHostOptions options, string secretKey, string? tablePrefix, string? dataDirectory, bool ownsDataDirectory)
    {
        _options = options;
        SecretKey = secretKey;
        TablePrefix = tablePrefix;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        TableStore = options.Azurite is null || tablePrefix is null ? null : new TableHubStore(options.Azurite.Tables, tablePrefix);
    }

    /// <summary>The hub's secret key (<c>Hub:SecretKey</c>, base64).</summary>
    public string SecretKey { get; }

    /// <summary>The hub's secret key as bytes (what token and cookie derivations take).</summary>
    public byte[] SecretKeyBytes => Convert.FromBase64String(SecretKey);

    /// <summary>The table prefix in Azurite (null without <see cref="HubHostOptions.Azurite"/>).</summary>
    public string? TablePrefix { get; }

    /// <summary><c>Hub:DataDirectory</c> where the host set one.</summary>
    public string? DataDirectory { get; }

    /// <summary>The control plane's address (null when it was not started).</summary>
    public Uri? ControlPlaneAddress { get; private set; }

    /// <summary>The gateway's main (HTTP/1.1) address (null when it was not started).</summary>
    public Uri? GatewayAddress { get; private set; }

    /// <summary>The gateway's HTTP/2 (h2c) address, when it listens on one.</summary>
    public Uri? GatewayHttp2Address { get; private set; }

    /// <summary>Where a user meets the hub: the gateway when it runs, the control plane otherwise.</summary>
    public Uri Address => GatewayAddress ?? ControlPlaneAddress!;

    /// <summary>The control plane's services.</summary>
    public IServiceProvider ControlPlane => (_controlPlane ?? throw new InvalidOperationException("The control plane was not started.")).Services;

    /// <summary>The gateway's services.</summary>
    public IServiceProvider Gateway => (_gateway ?? throw new InvalidOperationException("The gateway was not started.")).Services;

    /// <summary>The store over the host's tables, as written outside the hosts (null without <see cref="HubHostOptions.Azurite"/>).</summary>
    public TableHubStore? TableStore { get; }

    /// <summary>The store the hosts use: the control plane's when it runs, otherwise <see cref="TableStore"/>.</summary>
    public IHubStore Store => _controlPlane?.Services.GetRequiredService<IHubStore>()
        ?? TableStore ?? throw new InvalidOperationException("The host has no store (no Azurite given).");

    /// <summary>Starts the hosts <paramref name="options"/> name; on failure stops whatever had started.</summary>
    public static async Task<HubHost> StartAsync(HubHostOptions options)
    {
        if (!options.Parts.HasFlag(HubParts.ControlPlane) && options.ControlPlaneUrl is null && !SettingsName(options, options.GatewaySettings, "Gateway:ControlPlaneUrl"))
        {
            throw new ArgumentException("A gateway started alone needs ControlPlaneUrl (where /hub/ goes).", nameof(options));
        }
        string? prefix = options.Azurite is null ? null : options.TablePrefix ?? AzuriteFixture.UniqueTableName("h");
        string? data = options.DataDirectory;
        bool ownsData = false;
        if (data is null && options.Spawner.RunsLocalProcesses && !SettingsName(options, options.ControlPlaneSettings, "Hub:DataDirectory"))
        {
            data = Directory.CreateTempSubdirectory("hub-host-").FullName;
            ownsData = true;
        }
        var host = new HubHost(options, options.SecretKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), prefix, data, ownsData);
        try
        {
            await host.StartPartsAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync()
    {
        if (TableStore is not null && _options.CreateTables)
        {
            await TableStore.InitializeAsync();
        }
        bool both = _options.Parts == HubParts.Both;
        // With both, the control plane must know the public (gateway) address before the gateway can know the control plane's.
        Uri? gatewayUrl = both ? new Uri($"http://127.0.0.1:{FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)}") : null;
        if (_options.Parts.HasFlag(HubParts.ControlPlane))
        {
            var settings = CommonSettings();
            settings["ControlPlane:ListenUrl"] = "http://127.0.0.1:0";
            if (gatewayUrl is not null)
            {
                settings["Hub:PublicUrl"] = gatewayUrl.AbsoluteUri;
            }
            Overlay(settings, _options.Spawner.Settings);
            if (DataDirectory is not null)
            {
                settings["Hub:DataDirectory"] = DataDirectory;
            }
            Overlay(settings, _options.Settings);
            Overlay(settings, _options.ControlPlaneSettings);
            _controlPlane = ControlPlaneApp.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                AddCommonServices(builder.Services);
                _options.Spawner.Services?.Invoke(builder.Services);
                _options.ControlPlaneServices?.Invoke(builder.Services);
            });
            await _controlPlane.StartAsync();
            ControlPlaneAddress = AddressesOf(_controlPlane)[0];
        }
        if (_options.Parts.HasFlag(HubParts.Gateway))
        {
            var settings = CommonSettings();
            settings["Gateway:ListenUrl"] = gatewayUrl?.AbsoluteUri ?? "http://127.0.0.1:0";
            settings["Gateway:Http2ListenUrl"] = "http://127.0.0.1:0";
            settings["Gateway:ControlPlaneUrl"] = (ControlPlaneAddress ?? _options.ControlPlaneUrl)?.AbsoluteUri;
            settings["Gateway:RouteRefreshInterval"] = "200ms";
            if (gatewayUrl is not null)
            {
                settings["Hub:PublicUrl"] = gatewayUrl.AbsoluteUri;
            }
            Overlay(settings, _options.Settings);
            Overlay(settings, _options.GatewaySettings);
            _gateway = GatewayApp.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                AddCommonServices(builder.Services);
                _options.GatewayServices?.Invoke(builder.Services);
            });
            await _gateway.StartAsync();
            // Kestrel lists the bound addresses in the order the listeners were configured: HTTP/1.1 first.
            var addresses = AddressesOf(_gateway);
            GatewayAddress = addresses[0];
            GatewayHttp2Address = addresses.Count > 1 ? addresses[1] : null;
        }
        if (_controlPlane is not null && _options.WaitUntilReady)
        {
            await WaitUntilReadyAsync();
        }
    }

    private Dictionary<string, string?> CommonSettings()
    {
        var settings = new Dictionary<string, string?> { ["Hub:SecretKey"] = SecretKey };
        if (_options.Azurite is not null)
        {
            settings["Storage:ConnectionString"] = _options.Azurite.ConnectionString;
            settings["Storage:TablePrefix"] = TablePrefix;
        }
        if (_options.LogLevel is { } level)
        {
            settings["Logging:LogLevel:Default"] = level.ToString();
        }
        return settings;
    }

    private void AddCommonServices(IServiceCollection services)
    {
        if (_options.Clock is not null)
        {
            services.AddSingleton(_options.Clock);
        }
        if (_options.LogCapture is not null)
        {
            services.AddSingleton(_options.LogCapture);
        }
    }

    private static void Overlay(Dictionary<string, string?> settings, IReadOnlyDictionary<string, string?> overrides)
    {
        foreach (var (name, value) in overrides)
        {
            settings[name] = value;
        }
    }

    private static bool SettingsName(HubHostOptions options, IReadOnlyDictionary<string, string?> part, string name) =>
        options.Settings.ContainsKey(name) || part.ContainsKey(name);

    private static List<Uri> AddressesOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();

    private async Task WaitUntilReadyAsync()
    {
        using var client = CreateClient(ControlPlaneAddress);
        await Eventually.UntilAsync(async () => (await client.GetAsync("/hub/health")).StatusCode == HttpStatusCode.OK,
            ReadyTimeout, "the control plane's tables to be ready");
        // A spawner that cannot sweep (Azure down on purpose) never finishes the first sweep; the test goes on after the cap.
        if (ControlPlane.GetService<ReconcileScheduler>() is { } scheduler)
        {
            await Task.WhenAny(scheduler.FirstSweep, Task.Delay(FirstSweepCap));
        }
    }

    /// <summary>
    /// A client of <paramref name="address"/> (the hub's <see cref="Address"/> unless given), disposed with the host.
    /// With <paramref name="cookies"/> it keeps cookies as a browser does; without, it sends none but the headers a
    /// test adds.
    /// </summary>
    public HttpClient CreateClient(Uri? address = null, CookieContainer? cookies = null, bool followRedirects = true, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = followRedirects, UseCookies = cookies is not null };
        if (cookies is not null)
        {
            handler.CookieContainer = cookies;
        }
        var client = new HttpClient(handler) { BaseAddress = address ?? Address, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }

    /// <summary>Runs a timer job now, as the Functions host would: a POST to the control plane with the timer header.</summary>
    public async Task RunTimerAsync(string job)
    {
        using var client = new HttpClient { BaseAddress = ControlPlaneAddress ?? throw new InvalidOperationException("The control plane was not started.") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + job)
        {
            Content = new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(TimerInvocationHeader.Name, ControlPlane.GetRequiredService<TimerInvocationHeader>().Value);
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>Asks the control plane to stop every active server and waits until the store shows none.</summary>
    public async Task StopEveryServerAsync()
    {
        var lifecycle = ControlPlane.GetRequiredService<IServerLifecycle>();
        var stops = new List<Task>();
        await foreach (var record in Store.Servers.ListActiveAsync())
        {
            stops.Add(lifecycle.RequestStopAsync(record.Key));
        }
        await Task.WhenAll(stops);
        await Eventually.UntilAsync(async () =>
        {
            await foreach (var _ in Store.Servers.ListActiveAsync())
            {
                return false;
            }
            return true;
        }, ServersStopTimeout, "every server to stop");
    }

    /// <summary>Stops everything the host started, each step even when an earlier one failed; the first failure is thrown at the end.</summary>
    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        async Task Step(Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
            _clients.Clear();
        }
        // Servers outlive the control plane by design: the host stops what its tests started, first through the hub.
        if (_options.Spawner.RunsLocalProcesses && _controlPlane is not null)
        {
            await Step(StopEveryServerAsync);
        }
        if (_gateway is not null)
        {
            await Step(() => StopAsync(_gateway));
        }
        if (_controlPlane is not null)
        {
            await Step(() => StopAsync(_controlPlane));
        }
        if (_options.Spawner.RunsLocalProcesses && DataDirectory is not null)
        {
            await Step(() => LocalServers.StopAllAsync(DataDirectory));
        }
        if (_ownsDataDirectory && DataDirectory is not null)
        {
            TemporaryFolder.Delete(DataDirectory);
        }
        if (failures.Count > 0)
        {
            throw failures.Count == 1 ? failures[0] : new AggregateException(failures);
        }
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
