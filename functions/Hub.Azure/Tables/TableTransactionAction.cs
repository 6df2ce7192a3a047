using Azure;

namespace Hub.Azure.Tables;

/// <summary>The kinds of operation an entity group transaction can hold.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; fails the transaction if the entity exists.</summary>
    Add,

    /// <summary>Merge into an existing entity (If-Match: the ETag given, or any).</summary>
    UpdateMerge,

    /// <summary>Replace an existing entity (If-Match: the ETag given, or any).</summary>
    UpdateReplace,

    /// <summary>Insert or merge.</summary>
    UpsertMerge,

    /// <summary>Insert or replace.</summary>
    UpsertReplace,

    /// <summary>Delete an existing entity (If-Match: the ETag given, or any).</summary>
    Delete,
}

/// <summary>One operation of an entity group transaction.</summary>
/// <param name="ActionType">What to do.</param>
/// <param name="Entity">The entity (for <see cref="TableTransactionActionType.Delete"/> only its keys matter).</param>
/// <param name="IfMatch">For updates and deletes, the version expected; <c>default</c> means any version.</param>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag IfMatch = default);

/// <summary>
/// The outcome of an entity group transaction. Either every operation was applied (<see cref="Succeeded"/>, with
/// each one's new ETag) or none was, and <see cref="FailedIndex"/> names the operation the service refused.
/// </summary>
public sealed record TableTransactionResult(
    bool Succeeded,
    IReadOnlyList<ETag> ETags,
    int? FailedIndex,
    int FailedStatus,
    string? ErrorCode,
    string? ErrorMessage)
{
    /// <summary>True when the transaction failed because an ETag no longer matched (412).</summary>
    public bool IsConcurrencyConflict => !Succeeded && FailedStatus == 412;
}
