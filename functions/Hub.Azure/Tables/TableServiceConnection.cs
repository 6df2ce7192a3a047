using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace Hub.Azure.Tables;

/// <summary>
/// How the hub reaches one storage account's Table service through Azure.Data.Tables: a connection string (shared
/// key; Azurite locally and in tests) or the account's table endpoint with a token credential (managed identity in
/// Azure). Every client it hands out shares the hub's client options (retries, timeouts, logging), so the choice of
/// credential is made once, at startup.
/// </summary>
public sealed class TableServiceConnection
{
    private readonly Func<TableClientOptions, TableServiceClient> _connect;
    private readonly Action<TableClientOptions>? _configure;

    private TableServiceConnection(Uri endpoint, Func<TableClientOptions, TableServiceClient> connect, Action<TableClientOptions>? configure)
    {
        Endpoint = endpoint;
        _connect = connect;
        _configure = configure;
    }

    /// <summary>Shared-key access from a connection string (<c>UseDevelopmentStorage=true</c>, or an account and key).</summary>
    /// <param name="connectionString">An Azure Storage connection string; check it first with <see cref="StorageConnectionStringCheck"/>.</param>
    /// <param name="configure">Changes to the hub's client options, e.g. a test's transport or a counting policy.</param>
    public static TableServiceConnection FromConnectionString(string connectionString, Action<TableClientOptions>? configure = null)
    {
        // Parsed here rather than at the first request, so that a bad string fails where it is set.
        var endpoint = new TableServiceClient(connectionString).Uri;
        return new TableServiceConnection(endpoint, options => new TableServiceClient(connectionString, options), configure);
    }

    /// <summary>Entra ID access (bearer tokens for the storage scope) to the account's table endpoint.</summary>
    public static TableServiceConnection FromEndpoint(Uri tableEndpoint, TokenCredential credential, Action<TableClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(tableEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        return new TableServiceConnection(tableEndpoint, options => new TableServiceClient(tableEndpoint, credential, options), configure);
    }

    /// <summary>The account's table endpoint, for messages (it holds no secret).</summary>
    public Uri Endpoint { get; }

    /// <summary>The meter of the store's latency and errors, per operation; both apps export it.</summary>
    public const string MeterName = StoreMetricsPolicy.MeterName;

    /// <summary>Retries of a call outside a <see cref="StoreDeadline"/> (background work), after the first try.</summary>
    public const int MaxRetries = 4;

    /// <summary>The longest one try of a call may take (less within a <see cref="StoreDeadline"/>).</summary>
    public static readonly TimeSpan TryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A client whose requests are retried on throttling, server errors and network failures.</summary>
    public TableServiceClient CreateClient() => _connect(Options(retry: true));

    /// <summary>
    /// A client whose requests are tried once: for health checks, which must report a failure as it happens instead
    /// of retrying it away.
    /// </summary>
    public TableServiceClient CreateClientWithoutRetries() => _connect(Options(retry: false));

    private TableClientOptions Options(bool retry)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = retry ? MaxRetries : 0;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        // A table operation answers in milliseconds; a try that has not answered in this time is stuck, and the next
        // try (on a fresh connection) does better than waiting on. Azure.Core's default is 100 s.
        options.Retry.NetworkTimeout = TryTimeout;
        // Table payloads and query strings can carry user names; keep them out of logs.
        options.Diagnostics.IsLoggingContentEnabled = false;
        options.Diagnostics.IsTelemetryEnabled = false;
        _configure?.Invoke(options);
        if (!retry)
        {
            options.Retry.MaxRetries = 0;
        }
        // Within a user's request (StoreDeadline) every try and retry of a call also fits the call's budget.
        options.RetryPolicy = new DeadlineRetryPolicy(options.Retry.MaxRetries,
            DelayStrategy.CreateExponentialDelayStrategy(options.Retry.Delay, options.Retry.MaxDelay));
        options.AddPolicy(new DeadlineCallPolicy(), HttpPipelinePosition.PerCall);
        options.AddPolicy(new DeadlineTryPolicy(), HttpPipelinePosition.PerRetry);
        options.AddPolicy(new StoreMetricsPolicy(), HttpPipelinePosition.PerRetry);
        return options;
    }
}
