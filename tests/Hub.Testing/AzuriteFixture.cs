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
        _process = ChildProcess.Start("node",
        [
            script,
            "--blobHost", "127.0.0.1", "--blobPort", "0",
            "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0",
            "--location", _dataDirectory,
            "--disableTelemetry", "--silent",
        ]);

        var table = await _process.WaitForLineAsync(@"Table service is successfully listening at (http://\S+)", TimeSpan.FromSeconds(60));
        var blob = await _process.WaitForLineAsync(@"Blob service is successfully listening at (http://\S+)", TimeSpan.FromSeconds(10));
        TableEndpoint = new Uri(table.Groups[1].Value.TrimEnd('/') + "/" + AccountName);
        BlobEndpoint = new Uri(blob.Groups[1].Value.TrimEnd('/') + "/" + AccountName);
        ConnectionString = ConnectionStringFor(TableEndpoint);
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
