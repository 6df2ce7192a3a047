using Hub.Core.Spawning;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Testing.Hosting;

/// <summary>
/// How the control plane of a <see cref="HubHost"/> starts servers: the settings and services that choose the spawner,
/// and whether its servers (local processes) must be stopped when the host is disposed.
/// </summary>
public sealed class HubSpawner
{
    private HubSpawner(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services, bool runsLocalProcesses)
    {
        Settings = settings;
        Services = services;
        RunsLocalProcesses = runsLocalProcesses;
    }

    /// <summary>Whatever the app settings choose (the app's default spawner unless <c>Spawner:Kind</c> says otherwise).</summary>
    public static HubSpawner FromSettings { get; } = new(new Dictionary<string, string?>(), null, runsLocalProcesses: false);

    /// <summary>
    /// Real Jupyter processes (the LocalProcess spawner) under the host's data folder, reconciled every 2 s. The host
    /// stops every server they started when it is disposed: servers outlive the control plane by design.
    /// </summary>
    public static HubSpawner LocalJupyter { get; } = new(new Dictionary<string, string?>
    {
        ["Spawner:Kind"] = "local-process",
        ["Spawner:ReconcileInterval"] = "00:00:02",
    }, null, runsLocalProcesses: true);

    /// <summary>
    /// A test double in place of the app's server lifecycle (registered before the app's own, which are added with
    /// TryAdd), reachable from the control plane's services as <typeparamref name="T"/> too.
    /// </summary>
    public static HubSpawner Scripted<T>(Func<IServiceProvider, T> create) where T : class, IServerLifecycle =>
        new(new Dictionary<string, string?>(), services =>
        {
            services.AddSingleton(create);
            services.AddSingleton<IServerLifecycle>(provider => provider.GetRequiredService<T>());
        }, runsLocalProcesses: false);

    /// <summary>A spawner chosen by app settings, e.g. the ACI spawner pointed at the ARM double (<c>ArmDoubleSettings.For</c>).</summary>
    public static HubSpawner WithSettings(IReadOnlyDictionary<string, string?> settings) => new(settings, null, runsLocalProcesses: false);

    /// <summary>App settings this choice adds (below the host's own settings, which win).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Services this choice registers in the control plane.</summary>
    public Action<IServiceCollection>? Services { get; }

    /// <summary>Whether the host must stop local server processes (found under its data folder) on dispose.</summary>
    public bool RunsLocalProcesses { get; }
}
