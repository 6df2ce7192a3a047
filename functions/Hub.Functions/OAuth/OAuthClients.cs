using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Functions.OAuth;

/// <summary>
/// The OAuth clients the provider knows: one per server that is not stopped (JupyterHub registers it when the server
/// starts and removes it when it stops), derived from the server record rather than kept in a table of its own, so a
/// client can never outlive its server. Its secret is that start's server token.
/// </summary>
public sealed class OAuthClients(IHubStore store, ServerTokenSource tokens)
{
    /// <summary>The server whose client <paramref name="clientId"/> is, while it is not stopped; otherwise <c>null</c>.</summary>
    public async Task<ServerRecord?> FindAsync(string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return null;
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
                return record;
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="secret"/> is the client secret of <paramref name="server"/>'s current start.</summary>
    public bool IsSecretOf(ServerRecord server, string? secret) =>
        !string.IsNullOrEmpty(secret) && server.TokenNonce is { } nonce && tokens.Matches(server.Key, nonce, secret);
}
