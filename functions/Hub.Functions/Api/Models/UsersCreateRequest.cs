using System.Text.Json;
using Hub.Core.Security;
using Hub.Core.Users;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>POST /users</c>: <c>usernames</c> (required, at most <see cref="MaxUsers"/>, each a valid name,
/// normalized, repeats dropped) and <c>admin</c> (<c>false</c> when absent) for all of them. Whether the caller may
/// grant admin is the handler's question, asked before a bad name is answered (as JupyterHub): when only a name is
/// bad, <see cref="TryRead"/> still gives <see cref="Admin"/>.
/// </summary>
public sealed record UsersCreateRequest(IReadOnlyList<string> Usernames, bool Admin)
{
    public const int MaxUsers = 1000;

    public static bool TryRead(JsonElement? body, UserNamePolicy names, out UsersCreateRequest request, out IResult? problem)
    {
        request = new UsersCreateRequest([], false);
        problem = null;
        if (RequestFields.Present(body, "usernames") is not { ValueKind: JsonValueKind.Array } list)
        {
            problem = ApiProblem.BadRequest("The body must be {\"usernames\": [...], \"admin\": false}.");
            return false;
        }
        if (list.GetArrayLength() > MaxUsers)
        {
            problem = ApiProblem.BadRequest($"At most {MaxUsers} users can be created at once.");
            return false;
        }
        if (!UserCreateRequest.TryAdmin(body, out bool admin, out problem))
        {
            return false;
        }
        request = new UsersCreateRequest([], admin);
        var wanted = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                problem = ApiProblem.BadRequest($"Invalid user name {item.ValueKind}: not a string");
                return false;
            }
            if (!names.TryNormalize(item.GetString(), out string normalized, out string why))
            {
                problem = ApiProblem.BadRequest("Invalid user name " + LogText.Cap(item.GetString()) + ": " + why);
                return false;
            }
            if (!wanted.Contains(normalized))
            {
                wanted.Add(normalized);
            }
        }
        request = new UsersCreateRequest(wanted, admin);
        return true;
    }
}
