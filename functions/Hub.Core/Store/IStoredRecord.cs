namespace Hub.Core.Store;

/// <summary>
/// A record kept in the hub store. <see cref="Version"/> is the store's opaque version (an ETag in Azure Tables):
/// writes that carry it succeed only if nobody changed the record in between, so concurrent writers never lose an update.
/// </summary>
public interface IStoredRecord
{
    /// <summary>The version read with the record; <c>null</c> for a record not yet stored.</summary>
    string? Version { get; }
}
