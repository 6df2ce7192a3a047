using System.Globalization;
using Azure.Core;
using CullRun;
using Hub.Azure.Tables;
using Hub.Core.Store;
using Hub.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace UsageRun;

/// <summary>
/// The control plane built (not started: no reconcile loop or timer touches the tables while requests are counted)
/// on a private set of tables, with a request counter on its Table client and, optionally, a fixed clock.
/// </summary>
internal sealed class BenchHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;

    private BenchHub(WebApplication app, string data, CountingPolicy counter)
    {
        _app = app;
        _data = data;
        Counter = counter;
    }

    public CountingPolicy Counter { get; }

    public IServiceProvider Services => _app.Services;

    public IHubStore Store => Services.GetRequiredService<IHubStore>();

    public static async Task<BenchHub> BuildAsync(string storage, string prefix, IReadOnlyDictionary<string, string?> settings, TimeProvider? clock = null)
    {
        var counter = new CountingPolicy();
        string data = Directory.CreateTempSubdirectory("usage-run-").FullName;
        var all = new Dictionary<string, string?>
        {
            ["ControlPlane:ListenUrl"] = "http://127.0.0.1:0",
            ["Storage:ConnectionString"] = storage,
            ["Storage:TablePrefix"] = prefix,
            ["Hub:DataDirectory"] = data,
            ["Timers:RunStandalone"] = "false",
            ["HomeStorage:RefreshInterval"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var app = ControlPlaneApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(all);
            builder.Services.AddSingleton(TableServiceConnection.FromConnectionString(storage, options => options.AddPolicy(counter, HttpPipelinePosition.PerRetry)));
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }
        });
        var hub = new BenchHub(app, data, counter);
        await hub.Store.InitializeAsync();
        return hub;
    }

    public static string Prefix(string what) => what + Guid.NewGuid().ToString("N")[..10];

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
