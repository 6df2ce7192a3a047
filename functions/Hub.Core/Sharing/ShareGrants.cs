using Hub.Core.Security;
using Hub.Core.Store;

namespace Hub.Core.Sharing;

/// <summary>
/// Granting, revoking and exchanging shares as JupyterHub's <c>Share.grant</c>, <c>Share.revoke</c> and
/// <c>ShareCode.exchange</c>, with conditional writes: concurrent grants and revocations of one share never lose an
/// update (each is a read-modify-write on the record's version).
/// </summary>
public static class ShareGrants
{
    /// <summary>JupyterHub's default lifetime of a share code: one day.</summary>
    public static readonly TimeSpan DefaultCodeLifetime = TimeSpan.FromDays(1);

    /// <summary>The shortest lifetime a share code may be given (JupyterHub: one minute).</summary>
    public static readonly TimeSpan MinCodeLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The longest lifetime a share code may be given (JupyterHub: 525600 minutes, a year).</summary>
    public static readonly TimeSpan MaxCodeLifetime = TimeSpan.FromMinutes(525600);

    /// <summary>
    /// Grants <paramref name="scopes"/> (already filtered, see <see cref="ShareScopes"/>) on <paramref name="server"/>
    /// to <paramref name="recipient"/>: a new share, or the existing one with the scopes added (its date kept).
    /// </summary>
    public static async Task<ShareRecord> GrantAsync(IHubStore store, ServerKey server, ShareRecipient recipient, IReadOnlyList<string> scopes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = new ShareKey(server, recipient);
        while (true)
        {
            var changed = await store.Shares.ChangeAsync(key, share =>
            {
                var merged = share.Scopes.Union(scopes, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return merged.Count == share.Scopes.Count ? null : share with { Scopes = merged };
            }, cancellationToken).ConfigureAwait(false);
            if (changed is not null)
            {
                return changed;
            }
            var created = await store.Shares.CreateAsync(new ShareRecord
            {
                Server = server,
                Recipient = recipient,
                Scopes = scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                Created = now,
            }, cancellationToken).ConfigureAwait(false);
            if (created.Succeeded)
            {
                return created.Record!;
            }
            // Created by someone else in between: merge into theirs.
        }
    }

    /// <summary>
    /// Revokes <paramref name="scopes"/> (all when <c>null</c>) from the share <paramref name="key"/>: the share with the
    /// scopes left, or <c>null</c> when none are left (the share is then deleted) or there was none.
    /// </summary>
    public static async Task<ShareRecord?> RevokeAsync(IHubStore store, ShareKey key, IReadOnlyList<string>? scopes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var share = await store.Shares.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (share is null)
            {
                return null;
            }
            var left = scopes is null ? [] : share.Scopes.Where(s => !scopes.Contains(s, StringComparer.Ordinal)).ToList();
            if (left.Count == share.Scopes.Count)
            {
                return share;
            }
            if (left.Count == 0)
            {
                if (await store.Shares.DeleteAsync(key, share.Version, cancellationToken).ConfigureAwait(false) is StoreWriteStatus.Written or StoreWriteStatus.NotFound)
                {
                    return null;
                }
                continue;
            }
            var replaced = await store.Shares.ReplaceAsync(share with { Scopes = left }, cancellationToken).ConfigureAwait(false);
            if (replaced.Succeeded)
            {
                return replaced.Record;
            }
        }
    }

    /// <summary>Issues a code for <paramref name="server"/>; returns the record and the code (shown once, never stored).</summary>
    public static async Task<(ShareCodeRecord Record, string Code)> IssueCodeAsync(IHubStore store, ServerKey server, IReadOnlyList<string> scopes, TimeSpan lifetime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            string code = SecretHash.NewSecret();
            var created = await store.ShareCodes.CreateAsync(new ShareCodeRecord
            {
                Hash = SecretHash.Of(code),
                Id = "sc_" + SecretHash.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9)),
                Server = server,
                Scopes = scopes,
                Created = now,
                Expires = now + lifetime,
            }, cancellationToken).ConfigureAwait(false);
            if (created.Succeeded)
            {
                return (created.Record!, code);
            }
        }
    }

    /// <summary>The unexpired code <paramref name="code"/>, or <c>null</c> (an expired one is deleted on the way, as JupyterHub does).</summary>
    public static async Task<ShareCodeRecord?> FindCodeAsync(IHubStore store, string? code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(code) || code.Length > SecretHash.MaxSecretLength)
        {
            return null;
        }
        var record = await store.ShareCodes.GetAsync(SecretHash.Of(code), cancellationToken).ConfigureAwait(false);
        if (record is not null && record.Expires <= now)
        {
            await store.ShareCodes.DeleteAsync(record.Hash, record.Version, cancellationToken).ConfigureAwait(false);
            return null;
        }
        return record;
    }

    /// <summary>
    /// Exchanges <paramref name="code"/> for a share with <paramref name="user"/> and counts the exchange (every one,
    /// also by a user who already held the share, as JupyterHub counts). A code stays valid until it expires.
    /// </summary>
    public static async Task<ShareRecord> ExchangeAsync(IHubStore store, ShareCodeRecord code, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var share = await GrantAsync(store, code.Server, ShareRecipient.User(user), code.Scopes, now, cancellationToken).ConfigureAwait(false);
        await store.ShareCodes.ChangeAsync(code.Hash, c => c with { ExchangeCount = c.ExchangeCount + 1, LastExchanged = now }, cancellationToken).ConfigureAwait(false);
        return share;
    }
}
