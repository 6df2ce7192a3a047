using Azure;

namespace Hub.Azure.Tables;

/// <summary>How a write ended. The expected "someone else got there first" outcomes are values, not exceptions.</summary>
public enum TableWriteStatus
{
    /// <summary>The write was applied; <see cref="TableWriteResult.ETag"/> is the entity's new version.</summary>
    Succeeded,

    /// <summary>412: the entity changed since the ETag given was read. Re-read and decide again.</summary>
    PreconditionFailed,

    /// <summary>409: an insert found an entity with the same keys.</summary>
    Conflict,

    /// <summary>404: an update or delete found no entity with those keys.</summary>
    NotFound,
}

/// <summary>The outcome of an insert, update or delete.</summary>
public readonly record struct TableWriteResult(TableWriteStatus Status, ETag ETag)
{
    public bool Succeeded => Status == TableWriteStatus.Succeeded;

    internal static TableWriteResult Of(TableWriteStatus status) => new(status, default);
}

/// <summary>How an update treats properties the entity being written does not mention.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep them (HTTP PATCH/MERGE).</summary>
    Merge,

    /// <summary>Remove them (HTTP PUT).</summary>
    Replace,
}
