using Azure.Data.Tables;
using Hub.Azure.Tables;

namespace Hub.Testing;

/// <summary>
/// A real Azurite (from the repository's node_modules) on free loopback ports with a temporary data folder,
/// stopped and deleted when the test collection ends.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The account name of the storage emulator.</summary>
    public const string AccountName = "devstoreaccount1";

    // The emulator's well-known key is published by Microsoft; it is not a secret and only works against Azurite.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static int _tableCounter;
    private ChildProcess? _process;
    private string? _dataDirectory;

    /// <summary>The emulator's table endpoint, e.g. <c>http://127.0.0.1:41234/devstoreaccount1</c>.</summary>
    public Uri TableEndpoint { get; private set; } = null!;

    /// <summary>The emulator's blob endpoint (what the Functions host's AzureWebJobsStorage needs).</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    /// <summary>A connection string for this emulator, in the form an app setting takes.</summary>
    public string ConnectionString { get; private set; } = null!;

    /// <summary>The store's connection to this emulator (shared key from <see cref="ConnectionString"/>).</summary>
    public TableServiceConnection Tables => TableServiceConnection.FromConnectionString(ConnectionString);

    public async Task InitializeAsync()
    {
        string script = RepositoryPaths.InRoot("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed; run 'npm ci' in the repository root ({script} is missing).");
        }
        _dataDirectory = Directory.CreateTempSubdirectory("hub-azurite-").FullName;
        (TableEndpoint, BlobEndpoint) = await StartProcessAsync(script, tablePort: 0, blobPort: 0);
        ConnectionString = ConnectionStringFor(TableEndpoint);
    }

    private async Task<(Uri Table, Uri Blob)> StartProcessAsync(string script, int tablePort, int blobPort)
    {
        _process = ChildProcess.Start("node",
        [
            script,
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", _dataDirectory!,
            "--disableTelemetry", "--silent",
        ]);
        var table = await _process.WaitForLineAsync(@"Table service is successfully listening at (http://\S+)", TimeSpan.FromSeconds(60));
        var blob = await _process.WaitForLineAsync(@"Blob service is successfully listening at (http://\S+)", TimeSpan.FromSeconds(10));
        return (new Uri(table.Groups[1].Value.TrimEnd('/') + "/" + AccountName), new Uri(blob.Groups[1].Value.TrimEnd('/') + "/" + AccountName));
    }

    /// <summary>
    /// Stops the emulator where it is (SIGSTOP): connections stay open and requests hang, as with a stalled Table
    /// endpoint. Dispose the result (or call <see cref="Resume"/>) to let it carry on.
    /// </summary>
    public IDisposable Freeze()
    {
        if (!UnixSignals.Send(_process!.Id, UnixSignals.Stop))
        {
            throw new InvalidOperationException("Azurite could not be stopped: it is not running.");
        }
        return new Resumer(this);
    }

    /// <summary>Lets a frozen emulator carry on (SIGCONT).</summary>
    public void Resume()
    {
        if (_process is { HasExited: false })
        {
            UnixSignals.Send(_process.Id, UnixSignals.Continue);
        }
    }

    /// <summary>Kills the emulator (SIGKILL): connections are refused until <see cref="RestartAsync"/>.</summary>
    public async Task KillAsync()
    {
        UnixSignals.Send(_process!.Id, UnixSignals.Kill);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
    }

    /// <summary>Starts the emulator again on the same ports and the same data folder (after <see cref="KillAsync"/>).</summary>
    public async Task RestartAsync()
    {
        string script = RepositoryPaths.InRoot("node_modules", "azurite", "dist", "src", "azurite.js");
        var (table, _) = await StartProcessAsync(script, TableEndpoint.Port, BlobEndpoint.Port);
        if (table != TableEndpoint)
        {
            throw new InvalidOperationException($"Azurite came back at {table}, not {TableEndpoint}.");
        }
    }

    /// <summary>Whether the emulator's files on disk hold <paramref name="text"/> (it saves its tables every few seconds).</summary>
    public bool DataFilesContain(string text) =>
        Directory.EnumerateFiles(_dataDirectory!, "*.json", SearchOption.AllDirectories).Any(file =>
        {
            try
            {
                return File.ReadAllText(file).Contains(text, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                // Being written: the next poll reads it.
                return false;
            }
        });

    private sealed class Resumer(AzuriteFixture azurite) : IDisposable
    {
        public void Dispose() => azurite.Resume();
    }

    /// <summary>
    /// A connection string with this emulator's account and key but another table endpoint (e.g. a port where
    /// nothing listens).
    /// </summary>
    public string ConnectionStringFor(Uri tableEndpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={tableEndpoint};BlobEndpoint={BlobEndpoint};";

    /// <summary>An Azure.Data.Tables client for this emulator, with the store's client options.</summary>
    public TableServiceClient CreateServiceClient() => Tables.CreateClient();

    /// <summary>A table name no other test uses, so tests can run in parallel against one emulator.</summary>
    public static string UniqueTableName(string prefix = "t") =>
        prefix + Interlocked.Increment(ref _tableCounter).ToString(System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            // A frozen process ignores everything but SIGKILL; it is let go first so that its tree is killed cleanly.
            Resume();
            await _process.DisposeAsync();
        }
        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying process; the temp folder is cleaned by the OS eventually.
            }
        }
    }
}
