using System.Text.Json;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>POST /groups/{name}</c>, which may be absent: <c>users</c> as in <see cref="GroupUsersRequest"/>
/// (<c>null</c> when absent), and no <c>properties</c> beyond <c>{}</c> (see <see cref="GroupPropertiesRequest"/>).
/// </summary>
public sealed record GroupCreateRequest(IReadOnlyList<string>? Users) : IRequestBody<GroupCreateRequest>
{
    public static bool TryRead(JsonElement? body, out GroupCreateRequest request, out IResult? problem)
    {
        request = new GroupCreateRequest(Users: null);
        problem = null;
        if (RequestFields.Field(body, "properties") is { } properties && !GroupPropertiesRequest.IsEmptyObject(properties))
        {
            problem = ApiProblem.BadRequest(GroupPropertiesRequest.NotStored + " Leave out \"properties\".");
            return false;
        }
        if (RequestFields.Present(body, "users") is null)
        {
            return true;
        }
        if (!GroupUsersRequest.TryRead(body, out var users, out problem))
        {
            return false;
        }
        request = new GroupCreateRequest(users.Users);
        return true;
    }
}
