using Hub.Core.Auth;
using Hub.Core.Security;
using Hub.Core.Store;

namespace Hub.Functions.Auth;

/// <summary>
/// Login sessions: a random id in the user's cookie, only its hash (with the expiry) in the sessions table, so a
/// leaked table holds no usable session. Ending a session deletes its row: every tab, every control-plane
/// instance and every gateway that reads the table lose it.
/// </summary>
public sealed class SessionManager(IHubStore store, AuthOptions options, TimeProvider time)
{
    /// <summary>Starts a session for <paramref name="user"/>; returns the id for the cookie and the stored record.</summary>
    public async Task<(string Id, SessionRecord Record)> StartAsync(string user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        for (int attempt = 0; ; attempt++)
        {
            string id = SecretHash.NewSecret();
            var record = new SessionRecord { IdHash = SecretHash.Of(id), User = user, Created = now, Expires = now + options.SessionLifetime };
            var result = await store.Sessions.CreateAsync(record, cancellationToken);
            if (result.Succeeded)
            {
                return (id, result.Record!);
            }
            if (attempt >= 2)
            {
                throw new InvalidOperationException("Could not store a new session.");
            }
        }
    }

    /// <summary>The live session for a cookie value, or <c>null</c> (unknown, expired: then its row is removed).</summary>
    public async Task<SessionRecord?> FindAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > SecretHash.MaxSecretLength)
        {
            return null;
        }
        var record = await store.Sessions.GetAsync(SecretHash.Of(sessionId), cancellationToken);
        if (record is null)
        {
            return null;
        }
        if (record.Expires <= time.GetUtcNow())
        {
            await store.Sessions.DeleteAsync(record.IdHash, record.Version, cancellationToken);
            return null;
        }
        return record;
    }

    /// <summary>Ends the session with this cookie value (idempotent).</summary>
    public async Task<SessionRecord?> EndAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > SecretHash.MaxSecretLength)
        {
            return null;
        }
        string hash = SecretHash.Of(sessionId);
        var record = await store.Sessions.GetAsync(hash, cancellationToken);
        await store.Sessions.DeleteAsync(hash, cancellationToken: cancellationToken);
        return record;
    }
}
