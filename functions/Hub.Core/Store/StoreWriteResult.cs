namespace Hub.Core.Store;

/// <summary>How a conditional write to the hub store ended.</summary>
public enum StoreWriteStatus
{
    /// <summary>Applied; the result carries the record with its new version.</summary>
    Written,

    /// <summary>A create found a record with the same key.</summary>
    AlreadyExists,

    /// <summary>The record changed since the version given was read: re-read and decide again.</summary>
    Changed,

    /// <summary>An update or delete found no record with that key.</summary>
    NotFound,
}

/// <summary>The outcome of a write: its status and, when <see cref="StoreWriteStatus.Written"/>, the stored record.</summary>
public readonly record struct StoreWriteResult<TRecord>(StoreWriteStatus Status, TRecord? Record)
    where TRecord : class
{
    public bool Succeeded => Status == StoreWriteStatus.Written;
}
