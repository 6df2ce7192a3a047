using System.Text.Json;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>POST /users/{name}</c>, which may be absent: <c>admin</c> (<c>false</c> when absent). Whether the
/// caller may grant admin is the handler's question.
/// </summary>
public sealed record UserCreateRequest(bool Admin) : IRequestBody<UserCreateRequest>
{
    public static bool TryRead(JsonElement? body, out UserCreateRequest request, out IResult? problem)
    {
        bool ok = TryAdmin(body, out bool admin, out problem);
        request = new UserCreateRequest(admin);
        return ok;
    }

    /// <summary><c>admin</c> when present (then <c>true</c> or <c>false</c>, not even <c>null</c>), otherwise <c>false</c>.</summary>
    internal static bool TryAdmin(JsonElement? body, out bool admin, out IResult? problem)
    {
        admin = false;
        problem = null;
        if (RequestFields.Present(body, "admin") is { } value && !RequestFields.TryBool(value, out admin))
        {
            problem = ApiProblem.BadRequest("admin must be true or false.");
            return false;
        }
        return true;
    }
}
