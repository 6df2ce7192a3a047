using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Testing.Hosting;

/// <summary>What a <see cref="HubHost"/> starts and how. Every property has a default that suits most tests.</summary>
public sealed class HubHostOptions
{
    /// <summary>Which hosts to start.</summary>
    public HubParts Parts { get; init; } = HubParts.ControlPlane;

    /// <summary>
    /// The store: this emulator with a fresh table prefix (<see cref="TablePrefix"/>). Without one the hosts get no
    /// storage settings; a test then gives its own (e.g. a store that is down on purpose).
    /// </summary>
    public AzuriteFixture? Azurite { get; init; }

    /// <summary>The table prefix; a fresh one (starting <c>h</c>) unless given, so tests can share one emulator.</summary>
    public string? TablePrefix { get; init; }

    /// <summary>
    /// Whether the host creates the tables before the hosts start (with <see cref="Azurite"/> only): the gateway never
    /// creates them, and the control plane's timers may read them before its own start-up has made them.
    /// </summary>
    public bool CreateTables { get; init; } = true;

    /// <summary>
    /// Whether <see cref="HubHost.StartAsync"/> returns only once the control plane answers <c>/hub/health</c> and
    /// has finished its first reconcile sweep (which cleans up server records without a process, so records a test
    /// writes must come after it). Off: returns as soon as Kestrel listens.
    /// </summary>
    public bool WaitUntilReady { get; init; } = true;

    /// <summary>The hub's secret key (base64); a fresh random one unless given.</summary>
    public string? SecretKey { get; init; }

    /// <summary>App settings for every host started (configuration paths, e.g. <c>Auth:AdminUsers</c>); they win over the host's defaults.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>App settings for the control plane only; they win over <see cref="Settings"/>.</summary>
    public IReadOnlyDictionary<string, string?> ControlPlaneSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>App settings for the gateway only; they win over <see cref="Settings"/>.</summary>
    public IReadOnlyDictionary<string, string?> GatewaySettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where a gateway started alone forwards <c>/hub/</c> (a test backend); ignored when the control plane is started too.</summary>
    public Uri? ControlPlaneUrl { get; init; }

    /// <summary>How the control plane starts servers.</summary>
    public HubSpawner Spawner { get; init; } = HubSpawner.FromSettings;

    /// <summary>
    /// The folder for <c>Hub:DataDirectory</c> (local servers' homes and launch files). A fresh temporary one, deleted
    /// on dispose, when the spawner runs local processes and none is given here or in the settings.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>The clock of both hosts (registered before the apps' own <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Registers services in the control plane before the app's own (which are added with TryAdd), e.g. a test double.</summary>
    public Action<IServiceCollection>? ControlPlaneServices { get; init; }

    /// <summary>Registers services in the gateway before the app's own.</summary>
    public Action<IServiceCollection>? GatewayServices { get; init; }

    /// <summary>Receives the log lines of every host started (in addition to the console).</summary>
    public ILoggerProvider? LogCapture { get; init; }

    /// <summary>The hosts' default log level (<c>Logging:LogLevel:Default</c>); the apps' own default unless given.</summary>
    public LogLevel? LogLevel { get; init; }
}
