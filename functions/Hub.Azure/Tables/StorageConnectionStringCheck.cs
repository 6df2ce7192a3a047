namespace Hub.Azure.Tables;

/// <summary>
/// Says what is wrong with a storage connection string before the hub starts. Azure.Data.Tables parses leniently
/// (<c>TableEndpoint=nonsense</c> becomes <c>http://nonsense/</c>, a missing key is "Connection string parsing
/// error"), so the settings validator checks the parts the hub needs itself and names the one that is missing.
/// No message repeats the account key.
/// </summary>
public static class StorageConnectionStringCheck
{
    /// <summary>The problem with <paramref name="connectionString"/>, or <c>null</c> when the Table client can use it.</summary>
    public static string? Problem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "the connection string is empty";
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                return $"'{(segment.Length <= 12 ? segment : segment[..12])}…' is not a key=value pair";
            }
            parts[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out bool useDevelopment) && useDevelopment)
        {
            return null;
        }
        if (!parts.TryGetValue("AccountName", out var account) || account.Length == 0)
        {
            return "AccountName is missing";
        }
        if (!parts.TryGetValue("AccountKey", out var key) || key.Length == 0)
        {
            return "AccountKey is missing (for managed identity, set a table endpoint instead of a connection string)";
        }
        if (!Convert.TryFromBase64String(key, new byte[key.Length], out _))
        {
            return "AccountKey is not valid base64";
        }
        if (parts.TryGetValue("TableEndpoint", out var endpoint)
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)))
        {
            return $"TableEndpoint '{endpoint}' is not an absolute http(s) URL";
        }
        if (parts.TryGetValue("DefaultEndpointsProtocol", out var protocol) && protocol.ToLowerInvariant() is not ("http" or "https"))
        {
            return $"DefaultEndpointsProtocol '{protocol}' must be http or https";
        }
        return null;
    }
}
