using Hub.Azure.Tables;
using Hub.Core.Configuration;

namespace Hub.Azure.Store;

/// <summary>Where the hub keeps its state: an Azure Storage account's Table service, or Azurite locally.</summary>
public sealed class StorageOptions : ISettingsSection
{
    public const string DevelopmentConnectionString = "UseDevelopmentStorage=true";

    public static string Section => "Storage";

    /// <summary>
    /// A storage connection string (shared key). The default is Azurite on 127.0.0.1:10002. Leave it at the
    /// default when <see cref="TableEndpoint"/> is set.
    /// </summary>
    [SecretSetting]
    public string ConnectionString { get; set; } = DevelopmentConnectionString;

    /// <summary>
    /// The account's table endpoint (e.g. <c>https://acct.table.core.windows.net</c>), reached with a managed
    /// identity instead of a key. When set, it wins over <see cref="ConnectionString"/>.
    /// </summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>The client id of a user-assigned managed identity; empty uses the system-assigned one (or the developer's login).</summary>
    public string ManagedIdentityClientId { get; set; } = "";

    /// <summary>Prefix of every table name, so several hubs (or test runs) can share one account.</summary>
    public string TablePrefix { get; set; } = "hub";

    /// <summary>
    /// How long one store call made for a user's request (a page or an API call) may take in all, retries included,
    /// answer included (the call itself gets slightly less); then the request is answered 503 with <c>Retry-After</c>
    /// instead of hanging. Background work (timers,
    /// reconcile) is not held to it.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public void Validate(SettingsProblems problems)
    {
        if (RequestTimeout < TimeSpan.FromMilliseconds(500) || RequestTimeout > TimeSpan.FromMinutes(1))
        {
            problems.Add("Storage__RequestTimeout", $"must be between 500ms and 1m, not {SettingValue.Format(RequestTimeout)}");
        }
        if (TableEndpoint is null)
        {
            if (StorageConnectionStringCheck.Problem(ConnectionString) is { } problem)
            {
                problems.Add("Storage__ConnectionString", $"is not a usable storage connection string: {problem}");
            }
        }
        else
        {
            if (ConnectionString != DevelopmentConnectionString)
            {
                problems.Add("Storage__TableEndpoint", "and Storage__ConnectionString are both set; set one (the endpoint uses a managed identity, the connection string a key)");
            }
            if (TableEndpoint.Scheme != Uri.UriSchemeHttps && !TableEndpoint.IsLoopback)
            {
                problems.Add("Storage__TableEndpoint", "must be an https URL (tokens are only sent over TLS)");
            }
        }
        if (!System.Text.RegularExpressions.Regex.IsMatch(TablePrefix, "^[A-Za-z][A-Za-z0-9]{0,40}$"))
        {
            problems.Add("Storage__TablePrefix", $"must be a letter followed by up to 40 letters or digits, not '{TablePrefix}'");
        }
    }
}
