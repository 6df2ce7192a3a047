using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Bench;

/// <summary>
/// The baseline: the same Table requests sent with a bare HttpClient and a hand-computed SharedKeyLite signature,
/// so the ratio shows what the client (pipeline, policies, parsing into entities) adds on top of the protocol.
/// </summary>
internal sealed class RawTableRequests(Uri tableEndpoint, string table) : IDisposable
{
    private const string AccountName = "devstoreaccount1";

    // The emulator's well-known key is published by Microsoft; it is not a secret and only works against Azurite.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly byte[] AccountKeyBytes = Convert.FromBase64String(AccountKey);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
    private readonly string _baseUrl = tableEndpoint.AbsoluteUri.TrimEnd('/') + "/";

    /// <summary>The emulator's account and key at <paramref name="endpoint"/>, for the Table client under test.</summary>
    public static string ConnectionStringFor(Uri endpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={endpoint};";

    public async Task<int> GetAsync(string partitionKey, string rowKey)
    {
        using var request = Signed(HttpMethod.Get, $"{table}(PartitionKey='{partitionKey}',RowKey='{rowKey}')");
        using var response = await _http.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? body.Length : throw new InvalidOperationException(response.StatusCode.ToString());
    }

    public async Task UpsertAsync(string partitionKey, string rowKey, string json)
    {
        using var request = Signed(HttpMethod.Put, $"{table}(PartitionKey='{partitionKey}',RowKey='{rowKey}')");
        request.Content = new StringContent(json, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(response.StatusCode.ToString());
        }
    }

    public async Task<int> QueryPartitionAsync(string partitionKey)
    {
        using var request = Signed(HttpMethod.Get, $"{table}()?$filter={Uri.EscapeDataString($"PartitionKey eq '{partitionKey}'")}&$top=1000");
        using var response = await _http.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? body.Length : throw new InvalidOperationException(response.StatusCode.ToString());
    }

    private HttpRequestMessage Signed(HttpMethod method, string relative)
    {
        var request = new HttpRequestMessage(method, _baseUrl + relative);
        string date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        string resource = "/" + AccountName + request.RequestUri!.AbsolutePath;
        string signature = Convert.ToBase64String(HMACSHA256.HashData(AccountKeyBytes, Encoding.UTF8.GetBytes(date + "\n" + resource)));
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
        request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=minimalmetadata");
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {AccountName}:{signature}");
        return request;
    }

    public void Dispose() => _http.Dispose();
}
