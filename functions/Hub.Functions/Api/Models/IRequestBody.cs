using System.Text.Json;

namespace Hub.Functions.Api.Models;

/// <summary>
/// A request body record that reads itself from the body's JSON object (<c>null</c> for an empty body), answering a
/// 400 problem that names the bad field. <see cref="ApiBody.ReadAsync{T}"/> reads the body and then the record.
/// </summary>
public interface IRequestBody<TSelf> where TSelf : IRequestBody<TSelf>
{
    /// <summary>The record, or <c>false</c> with the problem to answer.</summary>
    static abstract bool TryRead(JsonElement? body, out TSelf request, out IResult? problem);
}
