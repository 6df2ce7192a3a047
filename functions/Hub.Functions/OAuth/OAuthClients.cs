using Hub.Core.Services;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Functions.OAuth;

/// <summary>One OAuth client of the provider: a server's or a service's.</summary>
/// <param name="Id">The client id: <c>jupyterhub-user-{name}[-{server}]</c> or <c>service-{name}</c>.</param>
/// <param name="RedirectPath">The one registered redirect URI, as a path on the hub.</param>
/// <param name="GrantableScopes">What a token for this client may hold (JupyterHub's client <c>allowed_scopes</c>).</param>
/// <param name="TokenNote">The note of the tokens issued to it.</param>
/// <param name="Server">A server's client: the server record.</param>
/// <param name="Service">A service's client: the service.</param>
public sealed record OAuthClient(string Id, string RedirectPath, IReadOnlyList<string> GrantableScopes, string TokenNote,
    ServerRecord? Server = null, ServiceDefinition? Service = null);

/// <summary>
/// The OAuth clients the provider knows. One per server that is not stopped (JupyterHub registers it when the server
/// starts and removes it when it stops), derived from the server record rather than kept in a table of its own, so a
/// client can never outlive its server; its secret is that start's server token. And one per service with a URL,
/// <c>service-{name}</c> with the redirect URI <c>/services/{name}/oauth_callback</c> as JupyterHub registers it; its
/// secret is the service's API token.
/// </summary>
public sealed class OAuthClients(IHubStore store, ServerTokenSource tokens, ServiceCatalog? services = null)
{
    private const string ServicePrefix = "service-";

    /// <summary>The client <paramref name="clientId"/> names, while it exists; otherwise <c>null</c>.</summary>
    public async Task<OAuthClient?> FindAsync(string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return null;
        }
        if (clientId.StartsWith(ServicePrefix, StringComparison.Ordinal))
        {
            return services?.Find(clientId[ServicePrefix.Length..]) is { Url: not null, ApiToken: not null } service
                ? new OAuthClient(service.OAuthClientId, service.OAuthRedirectPath, [service.AccessScope], "OAuth token of the service " + service.Name, Service: service)
                : null;
        }
        foreach (var candidate in ServerOAuthClient.Candidates(clientId).Take(16))
        {
            if (ServerOAuthClient.ClientId(candidate) != clientId)
            {
                continue;
            }
            var record = await store.Servers.GetAsync(candidate, cancellationToken);
            if (record is { TokenNonce: not null } && record.Phase is not (ServerPhase.Stopped or ServerPhase.Failed))
            {
                return new OAuthClient(clientId, ServerOAuthClient.CallbackPath(record.Key), ServerOAuthClient.GrantableScopes(record.Key),
                    "Server at " + ServerUrls.BasePath(record.Key), Server: record);
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="secret"/> is the client secret of <paramref name="client"/> (for a server: of its current start).</summary>
    public bool IsSecretOf(OAuthClient client, string? secret) => client switch
    {
        { Service: { } service } => ServiceCatalog.IsTokenOf(service, secret),
        { Server: { } server } => !string.IsNullOrEmpty(secret) && server.TokenNonce is { } nonce && tokens.Matches(server.Key, nonce, secret),
        _ => false,
    };
}
