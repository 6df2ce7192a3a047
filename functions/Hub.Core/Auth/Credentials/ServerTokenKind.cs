using Hub.Core.Security;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Core.Auth.Credentials;

/// <summary>
/// A server's own token (its <c>JUPYTERHUB_API_TOKEN</c>, <see cref="ServerTokens"/>): valid while that server is not
/// stopped and was started with the nonce the token was derived from, with the scopes of JupyterHub's <c>server</c>
/// role for that server only. Not stored: the grant is made up from the server's record on each use.
/// </summary>
public sealed class ServerTokenKind(IHubStore store, ServerTokenSource source, TimeProvider time) : ITokenKind
{
    public bool Recognizes(string token) => ServerTokens.TryReadServer(token, out _);

    public async ValueTask<TokenRecord?> FindGrantAsync(string token, CancellationToken cancellationToken)
    {
        if (!ServerTokens.TryReadServer(token, out var server))
        {
            return null;
        }
        var record = await store.Servers.GetAsync(server, cancellationToken).ConfigureAwait(false);
        if (record?.TokenNonce is not { } nonce || record.Phase is ServerPhase.Stopped or ServerPhase.Failed || !source.Matches(server, nonce, token))
        {
            return null;
        }
        return new TokenRecord
        {
            Hash = "",
            Id = "server:" + server,
            User = server.User,
            Scopes = ServerOAuthClient.ServerRoleScopes(server),
            Note = "Server at " + ServerUrls.BasePath(server),
            Created = record.Requested ?? time.GetUtcNow(),
        };
    }
}
