using System.Globalization;

namespace Hub.Azure.Tables;

/// <summary>
/// The parts of an Azure Storage connection string that the Table client needs: the table endpoint and the shared key.
/// Accepts <c>UseDevelopmentStorage=true</c> (Azurite on 127.0.0.1:10002 with the public development key) and the
/// <c>DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…;[TableEndpoint=…|EndpointSuffix=…]</c> form.
/// </summary>
public sealed record StorageConnectionString(Uri TableEndpoint, string AccountName, byte[] AccountKey)
{
    /// <summary>The account name of the storage emulator.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    // The emulator's well-known key is published by Microsoft; it is not a secret and only works against Azurite.
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Parses a connection string; the exception message never repeats the account key.</summary>
    /// <exception cref="FormatException">The string is empty, malformed, or lacks a part the Table client needs.</exception>
    public static StorageConnectionString Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("the connection string is empty");
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException($"'{FirstWord(segment)}…' is not a key=value pair");
            }
            parts[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out bool useDev) && useDev)
        {
            var endpoint = parts.TryGetValue("DevelopmentStorageProxyUri", out var proxy)
                ? new Uri(proxy.TrimEnd('/') + ":10002/" + DevelopmentAccountName)
                : new Uri("http://127.0.0.1:10002/" + DevelopmentAccountName);
            return new StorageConnectionString(endpoint, DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey));
        }

        if (!parts.TryGetValue("AccountName", out var account) || account.Length == 0)
        {
            throw new FormatException("AccountName is missing");
        }
        if (!parts.TryGetValue("AccountKey", out var key) || key.Length == 0)
        {
            throw new FormatException("AccountKey is missing (for managed identity, set a table endpoint instead of a connection string)");
        }
        byte[] keyBytes;
        try
        {
            keyBytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            throw new FormatException("AccountKey is not valid base64");
        }

        Uri tableEndpoint;
        if (parts.TryGetValue("TableEndpoint", out var explicitEndpoint))
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                throw new FormatException($"TableEndpoint '{explicitEndpoint}' is not an absolute http(s) URL");
            }
            tableEndpoint = parsed;
        }
        else
        {
            string protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https").ToLowerInvariant();
            if (protocol is not ("http" or "https"))
            {
                throw new FormatException($"DefaultEndpointsProtocol '{protocol}' must be http or https");
            }
            string suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            tableEndpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"{protocol}://{account}.table.{suffix}"));
        }

        return new StorageConnectionString(tableEndpoint, account, keyBytes);
    }

    private static string FirstWord(string segment) => segment.Length <= 12 ? segment : segment[..12];

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"{AccountName} at {TableEndpoint}";
}
