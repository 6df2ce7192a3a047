using Azure;
using Azure.Data.Tables;

namespace Hub.Repository.Tests.HubRun;

/// <summary>Asks the Azurite a run started to list its tables with a given account key: the HTTP status it answers.</summary>
internal static class StoreKeyProbe
{
    public const string PublicEmulatorKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static async Task<int> StatusWithKeyAsync(int tablePort, string key)
    {
        var client = new TableServiceClient(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1",
            new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(10) } });
        try
        {
            await foreach (var _ in client.QueryAsync(maxPerPage: 1).AsPages())
            {
                break;
            }
            return 200;
        }
        catch (RequestFailedException ex)
        {
            return ex.Status;
        }
    }
}
