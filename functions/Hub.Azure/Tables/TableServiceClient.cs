using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Tables;

/// <summary>
/// The entry point to one storage account's Table service: builds the <see cref="HttpPipeline"/> once (retries,
/// protocol headers, authentication as a policy) and hands out <see cref="TableClient"/>s that share it.
/// </summary>
public sealed partial class TableServiceClient
{
    /// <summary>The OAuth scope of the storage data plane.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private readonly HttpPipeline _pipeline;
    private readonly Lazy<TableServiceClient> _withoutRetries;

    /// <summary>Shared-key (SharedKeyLite) access from a connection string: Azurite, or an account key.</summary>
    public TableServiceClient(StorageConnectionString connection, TableClientOptions? options = null)
        : this(connection.TableEndpoint, options ?? new TableClientOptions(),
            o => new TableSharedKeyLitePolicy(connection.AccountName, connection.AccountKey, o.TimeProvider))
    {
    }

    /// <summary>Entra ID access (managed identity in Azure) with bearer tokens for the storage scope.</summary>
    public TableServiceClient(Uri tableEndpoint, TokenCredential credential, TableClientOptions? options = null)
        : this(tableEndpoint, options ?? new TableClientOptions(), _ => new BearerTokenAuthenticationPolicy(credential, StorageScope))
    {
    }

    /// <summary>A client with a caller-supplied pipeline, for tests that swap the transport.</summary>
    internal TableServiceClient(Uri tableEndpoint, HttpPipeline pipeline, Func<TableServiceClient>? withoutRetries = null)
    {
        Endpoint = Normalize(tableEndpoint);
        _pipeline = pipeline;
        _withoutRetries = new Lazy<TableServiceClient>(withoutRetries ?? (() => this));
    }

    private TableServiceClient(Uri tableEndpoint, TableClientOptions options, Func<TableClientOptions, HttpPipelinePolicy> authentication)
        : this(tableEndpoint, BuildPipeline(options, authentication(options)), () =>
        {
            var once = new TableClientOptions { TimeProvider = options.TimeProvider };
            if (options.Transport is { } transport)
            {
                once.Transport = transport;
            }
            once.Retry.MaxRetries = 0;
            once.Retry.NetworkTimeout = options.Retry.NetworkTimeout;
            return new TableServiceClient(tableEndpoint, BuildPipeline(once, authentication(once)));
        })
    {
    }

    /// <summary>The account's table endpoint, e.g. <c>https://acct.table.core.windows.net/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// The same account, credentials and transport, but every request is tried once: for health checks, which
    /// must report a failure as it happens instead of retrying it away.
    /// </summary>
    public TableServiceClient WithoutRetries() => _withoutRetries.Value;

    /// <summary>A client for one table; no request is sent.</summary>
    /// <exception cref="ArgumentException">The name is not a valid table name.</exception>
    public TableClient GetTableClient(string tableName)
    {
        if (!TableNamePattern().IsMatch(tableName))
        {
            throw new ArgumentException($"'{tableName}' is not a valid table name (a letter, then 2 to 62 letters or digits).", nameof(tableName));
        }
        return new TableClient(_pipeline, Endpoint, tableName);
    }

    internal static HttpPipeline BuildPipeline(ClientOptions options, HttpPipelinePolicy authentication) =>
        HttpPipelineBuilder.Build(new HttpPipelineOptions(options)
        {
            PerCallPolicies = { new TableProtocolHeadersPolicy(TableClientOptions.ServiceVersion) },
            PerRetryPolicies = { authentication },
            RequestFailedDetailsParser = TableErrorParser.Instance,
        });

    private static Uri Normalize(Uri endpoint) =>
        endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
