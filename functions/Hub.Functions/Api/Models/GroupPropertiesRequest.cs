using System.Text.Json;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>PUT /groups/{name}/properties</c>: the group's properties as a JSON object. This hub stores none,
/// so the handler accepts only <c>{}</c> (<see cref="SetsAny"/> false) and answers <see cref="NotStored"/> otherwise.
/// </summary>
public sealed record GroupPropertiesRequest(bool SetsAny) : IRequestBody<GroupPropertiesRequest>
{
    public const string NotStored = "This hub does not store group properties.";

    public static bool TryRead(JsonElement? body, out GroupPropertiesRequest request, out IResult? problem)
    {
        request = new GroupPropertiesRequest(false);
        problem = null;
        if (body is not { ValueKind: JsonValueKind.Object } properties)
        {
            problem = ApiProblem.BadRequest("The body must be the group's properties as a JSON object.");
            return false;
        }
        request = new GroupPropertiesRequest(!IsEmptyObject(properties));
        return true;
    }

    internal static bool IsEmptyObject(JsonElement value) => value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any();
}
