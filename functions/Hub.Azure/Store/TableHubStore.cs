using Azure;
using Azure.Data.Tables;
using Hub.Azure.Tables;
using Hub.Core.Sharing;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>The hub store in Azure Table storage (or Azurite): one table per kind of record, named with a prefix.</summary>
public sealed class TableHubStore : IHubStore
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(3);
    private readonly TableServiceClient _service;
    private readonly TableClient[] _tables;
    private readonly TableClient _users;
    private readonly TableClient _healthProbe;

    public TableHubStore(TableServiceConnection connection, string tablePrefix)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Endpoint = connection.Endpoint;
        var service = _service = connection.CreateClient();
        _users = service.GetTableClient(tablePrefix + "users");
        _healthProbe = connection.CreateClientWithoutRetries().GetTableClient(_users.Name);
        var servers = service.GetTableClient(tablePrefix + "servers");
        var routes = service.GetTableClient(tablePrefix + "routes");
        var sessions = service.GetTableClient(tablePrefix + "sessions");
        var tokens = service.GetTableClient(tablePrefix + "tokens");
        var usage = service.GetTableClient(tablePrefix + "usage");
        var shares = service.GetTableClient(tablePrefix + "shares");
        var shareCodes = service.GetTableClient(tablePrefix + "sharecodes");
        _tables = [_users, servers, routes, sessions, tokens, usage, shares, shareCodes];

        Users = new TableUserStore(_users);
        Servers = new TableServerStore(servers);
        Routes = new TableRouteStore(routes);
        Sessions = new TableSessionStore(sessions);
        Tokens = new TableTokenStore(tokens);
        Usage = new TableUsageStore(usage);
        Shares = new TableShareStore(shares);
        ShareCodes = new TableShareCodeStore(shareCodes);
    }

    /// <summary>The table endpoint, for messages (it holds no secret).</summary>
    public Uri Endpoint { get; }

    public string Location => Endpoint.AbsoluteUri;

    public IUserStore Users { get; }

    public IServerStore Servers { get; }

    public IRouteStore Routes { get; }

    public ISessionStore Sessions { get; }

    public ITokenStore Tokens { get; }

    public IUsageStore Usage { get; }

    public IShareStore Shares { get; }

    public IShareCodeStore ShareCodes { get; }

    /// <summary>The names of the tables this store uses.</summary>
    public IEnumerable<string> TableNames => _tables.Select(t => t.Name);

    /// <summary>
    /// Creates the tables that do not exist yet. One query finds those that do, so a start against an existing store
    /// costs one request (instead of one refused create, and the exception behind it, per table).
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string filter = string.Join(" or ", _tables.Select(t => TableServiceClient.CreateQueryFilter($"TableName eq {t.Name}")));
        await foreach (var table in _service.QueryAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            existing.Add(table.Name);
        }
        await Task.WhenAll(_tables.Where(t => !existing.Contains(t.Name)).Select(t => t.CreateIfNotExistsAsync(cancellationToken))).ConfigureAwait(false);
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HealthTimeout);
        try
        {
            // One cheap read that needs the service, the credentials and the table.
            var pages = _healthProbe.QueryAsync<TableEntity>(select: ["PartitionKey"], maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1);
            await foreach (var _ in pages.ConfigureAwait(false))
            {
                break;
            }
            return new StoreHealth(true, $"Table storage at {Endpoint} answers.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new StoreHealth(false, $"Table storage at {Endpoint} did not answer within {HealthTimeout.TotalSeconds:0} s.");
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "TableNotFound")
        {
            return new StoreHealth(false, $"Table storage at {Endpoint} answers, but table {_users.Name} does not exist yet.");
        }
        catch (RequestFailedException ex)
        {
            string reason = ex.Status == 0 ? ex.InnerException?.Message ?? ex.Message : $"{ex.Status} {ex.ErrorCode}";
            return new StoreHealth(false, $"Table storage at {Endpoint} is not reachable: {reason}.");
        }
        catch (HttpRequestException ex)
        {
            return new StoreHealth(false, $"Table storage at {Endpoint} is not reachable: {ex.Message}");
        }
    }
}
