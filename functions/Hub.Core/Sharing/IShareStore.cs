using Hub.Core.Store;

namespace Hub.Core.Sharing;

/// <summary>Shares, keyed by server and recipient.</summary>
public interface IShareStore : IRecordStore<ShareKey, ShareRecord>
{
    /// <summary>The shares granted to any of <paramref name="recipients"/> (a user and that user's groups).</summary>
    IAsyncEnumerable<ShareRecord> ListForRecipientsAsync(IReadOnlyList<ShareRecipient> recipients, CancellationToken cancellationToken = default);

    /// <summary>The shares of <paramref name="owner"/>'s servers, or of one of them when <paramref name="server"/> is given.</summary>
    IAsyncEnumerable<ShareRecord> ListForOwnerAsync(string owner, string? server = null, CancellationToken cancellationToken = default);
}

/// <summary>Share codes, keyed by the hash of the code.</summary>
public interface IShareCodeStore : IRecordStore<string, ShareCodeRecord>
{
    /// <summary>The codes of <paramref name="owner"/>'s servers, or of one of them when <paramref name="server"/> is given.</summary>
    IAsyncEnumerable<ShareCodeRecord> ListForOwnerAsync(string owner, string? server = null, CancellationToken cancellationToken = default);
}
