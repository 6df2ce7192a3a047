using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Hub.Core.Store;

namespace Hub.Azure.Store;

/// <summary>
/// What the store makes of the Table service's answers, as Azure.Data.Tables reports them: the expected refusals
/// of a write become <see cref="StoreWriteStatus"/> values, a missing table stays an error, and a body the client
/// cannot read becomes a <see cref="RequestFailedException"/> with the code <c>MalformedResponse</c> (so that
/// callers handle one exception type for "the service did not do it").
/// </summary>
internal static class TableResponses
{
    public const string MalformedResponse = "MalformedResponse";

    /// <summary>The store's status for an expected refusal; <c>null</c> for any other failure.</summary>
    public static StoreWriteStatus? Outcome(RequestFailedException failure) => failure switch
    {
        { Status: 409, ErrorCode: "EntityAlreadyExists" } => StoreWriteStatus.AlreadyExists,
        { Status: 412 } => StoreWriteStatus.Changed,
        { Status: 404, ErrorCode: "ResourceNotFound" or null } => StoreWriteStatus.NotFound,
        _ => null,
    };

    /// <summary>
    /// A 404 the client did not throw for (a point read or delete of a missing entity) is "not found" only when the
    /// entity is missing; a missing table is a deployment problem and is raised.
    /// </summary>
    public static void ThrowUnlessEntityMissing(Response response)
    {
        if (response.Headers.TryGetValue("x-ms-error-code", out var code) && code != "ResourceNotFound")
        {
            throw new RequestFailedException(response.Status, $"The table service answered {response.Status} ({code}).", code, null);
        }
    }

    /// <summary>The entity's new version from a write's response.</summary>
    public static string ETagOf(Response response) => (response.Headers.ETag ?? default).ToString();

    /// <summary>The Table service has no nulls: a property without a value is left out of the entity.</summary>
    public static TableEntity WithoutNulls(TableEntity entity)
    {
        foreach (var name in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(name);
        }
        return entity;
    }

    /// <summary>
    /// Runs one client call. A body the client could not read becomes a <see cref="RequestFailedException"/> coded
    /// <c>MalformedResponse</c>; a failure whose code the client did not read (a bodiless 403, a 404 it did not throw
    /// for) gets the service's <c>x-ms-error-code</c>.
    /// </summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Explained(ex) is { } explained)
        {
            throw explained;
        }
    }

    /// <inheritdoc cref="ReadAsync{T}(Func{Task{T}})"/>
    public static async ValueTask<T> ReadAsync<T>(Func<ValueTask<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Explained(ex) is { } explained)
        {
            throw explained;
        }
    }

    private static RequestFailedException? Explained(Exception exception) => exception switch
    {
        RequestFailedException failure => WithErrorCode(failure),
        JsonException or FormatException => Malformed(0, exception),
        _ => null,
    };

    private static RequestFailedException? WithErrorCode(RequestFailedException failure)
    {
        if (failure.ErrorCode is not null)
        {
            return null;
        }
        if (failure.InnerException is JsonException or FormatException)
        {
            return Malformed(failure.Status, failure);
        }
        return failure.GetRawResponse() is { } response && response.Headers.TryGetValue("x-ms-error-code", out var code)
            ? new RequestFailedException(failure.Status, failure.Message, code, failure)
            : null;
    }

    private static RequestFailedException Malformed(int status, Exception inner) =>
        new(status, $"The table service answered with a body that could not be read: {(inner.InnerException ?? inner).Message}", MalformedResponse, inner);
}
