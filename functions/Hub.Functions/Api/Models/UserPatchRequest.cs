using System.Text.Json;
using Hub.Core.Users;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>PATCH /users/{name}</c>: a new <c>name</c> (normalized) and/or <c>admin</c>; at least one of them.
/// <c>null</c> stands for "unchanged". Whether the caller may change admin is the handler's question, asked before a
/// bad name is answered (as JupyterHub): when only the name is bad, <see cref="TryRead"/> still gives <see cref="Admin"/>.
/// </summary>
public sealed record UserPatchRequest(string? Name, bool? Admin)
{
    public static bool TryRead(JsonElement? body, UserNamePolicy names, out UserPatchRequest request, out IResult? problem)
    {
        request = new UserPatchRequest(null, null);
        var nameValue = RequestFields.Present(body, "name");
        var adminValue = RequestFields.Present(body, "admin");
        if (nameValue is null && adminValue is null)
        {
            problem = ApiProblem.BadRequest("The body must change name or admin: {\"name\": \"…\", \"admin\": true}.");
            return false;
        }
        bool? admin = null;
        if (!UserCreateRequest.TryAdmin(body, out bool parsed, out problem))
        {
            return false;
        }
        if (adminValue is not null)
        {
            admin = parsed;
            request = new UserPatchRequest(null, admin);
        }
        string? name = null;
        if (nameValue is { } value)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                problem = ApiProblem.BadRequest("Invalid user name: not a string");
                return false;
            }
            if (!names.TryNormalize(value.GetString(), out string normalized, out string why))
            {
                problem = ApiProblem.BadRequest("Invalid user name: " + why);
                return false;
            }
            name = normalized;
        }
        request = new UserPatchRequest(name, admin);
        return true;
    }
}
