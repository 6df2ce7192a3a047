using Hub.Core.Store;

namespace Hub.Core.Sharing;

/// <summary>
/// A share code (JupyterHub 5's <c>ShareCode</c>): a secret that any signed-in user but the owner may exchange for a
/// share of <see cref="Server"/> with <see cref="Scopes"/>, as often as it is used, until it expires or is revoked.
/// Only the hash of the code is stored; the code itself is shown once, when it is issued.
/// </summary>
public sealed record ShareCodeRecord : IStoredRecord
{
    /// <summary>Lower-case hex SHA-256 of the code.</summary>
    public required string Hash { get; init; }

    /// <summary>The code's public id (<c>sc_…</c>), which lists show and revocation accepts.</summary>
    public required string Id { get; init; }

    public required ServerKey Server { get; init; }

    /// <summary>The scopes an exchange grants, sorted, each filtered to <see cref="Server"/>.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>When the code stops being accepted (JupyterHub: always set, at most a year after issue).</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>How often the code was exchanged (also by a user who already held the share).</summary>
    public int ExchangeCount { get; init; }

    public DateTimeOffset? LastExchanged { get; init; }

    public string? Version { get; init; }
}
