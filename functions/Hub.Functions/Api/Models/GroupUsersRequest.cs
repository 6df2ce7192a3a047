using System.Text.Json;
using Hub.Core.Security;
using Hub.Core.Users;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>POST/DELETE /groups/{name}/users</c>: <c>users</c>, at most <see cref="MaxUsers"/> well-formed
/// names (folded as stored, repeats dropped). Whether they exist is the handler's question.
/// </summary>
public sealed record GroupUsersRequest(IReadOnlyList<string> Users) : IRequestBody<GroupUsersRequest>
{
    /// <summary>The most users one request may add or remove.</summary>
    public const int MaxUsers = 1000;

    public static bool TryRead(JsonElement? body, out GroupUsersRequest request, out IResult? problem)
    {
        request = new GroupUsersRequest([]);
        problem = null;
        if (RequestFields.Present(body, "users") is not { ValueKind: JsonValueKind.Array } list)
        {
            problem = ApiProblem.BadRequest("The body must be {\"users\": [\"name\", ...]}.");
            return false;
        }
        if (list.GetArrayLength() > MaxUsers)
        {
            problem = ApiProblem.BadRequest($"At most {MaxUsers} users can be changed at once.");
            return false;
        }
        var names = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                problem = ApiProblem.BadRequest($"Every user must be a name (a string), not {item.ValueKind}.");
                return false;
            }
            string name = UserNamePolicy.Fold(item.GetString()!);
            if (UserNamePolicy.WellFormednessProblem(name) is { } why)
            {
                problem = ApiProblem.BadRequest("Invalid user name " + LogText.Cap(name) + ": " + why);
                return false;
            }
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }
        request = new GroupUsersRequest(names);
        return true;
    }
}
