using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Hub.Core.Sharing;

namespace Hub.Azure.Store;

internal sealed class TableShareStore(TableClient table) : TableRecordStore<ShareKey, ShareRecord>(table, ShareEntityMap.Instance), IShareStore
{
    /// <summary>The Table service takes at most 15 comparisons in one filter.</summary>
    private const int PartitionsPerQuery = 12;

    public async IAsyncEnumerable<ShareRecord> ListForRecipientsAsync(IReadOnlyList<ShareRecipient> recipients, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var chunk in recipients.Distinct().Chunk(PartitionsPerQuery))
        {
            string filter = string.Join(" or ", chunk.Select(r => TableClient.CreateQueryFilter($"PartitionKey eq {ShareEntityMap.RecipientKey(r)}")));
            await foreach (var share in QueryAsync(filter, cancellationToken).ConfigureAwait(false))
            {
                yield return share;
            }
        }
    }

    public IAsyncEnumerable<ShareRecord> ListForOwnerAsync(string owner, string? server = null, CancellationToken cancellationToken = default) =>
        QueryAsync(server is null
            ? TableClient.CreateQueryFilter($"Owner eq {owner}")
            : TableClient.CreateQueryFilter($"Owner eq {owner} and Server eq {server}"), cancellationToken);
}

internal sealed class TableShareCodeStore(TableClient table) : TableRecordStore<string, ShareCodeRecord>(table, ShareCodeEntityMap.Instance), IShareCodeStore
{
    public IAsyncEnumerable<ShareCodeRecord> ListForOwnerAsync(string owner, string? server = null, CancellationToken cancellationToken = default) =>
        QueryAsync(server is null
            ? TableClient.CreateQueryFilter($"Owner eq {owner}")
            : TableClient.CreateQueryFilter($"Owner eq {owner} and Server eq {server}"), cancellationToken);
}
