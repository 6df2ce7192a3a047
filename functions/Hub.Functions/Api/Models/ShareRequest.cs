using System.Text.Json;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of a grant (<c>POST /shares/{owner}/{server}</c>) or revocation (<c>PATCH</c>): <c>user</c> or
/// <c>group</c> (exactly one) and optional <c>scopes</c>; other fields are refused, as JupyterHub's validator does.
/// Whether the recipient exists and the scopes may be shared is the handler's question.
/// </summary>
public sealed record ShareRequest(string? User, string? Group, IReadOnlyList<string>? Scopes) : IRequestBody<ShareRequest>
{
    public static bool TryRead(JsonElement? body, out ShareRequest request, out IResult? problem)
    {
        request = new ShareRequest(null, null, null);
        if (!RequestFields.TryOnly(body, ["user", "group", "scopes"], out problem)
            || !TryString(body, "user", out string? user, out problem)
            || !TryString(body, "group", out string? group, out problem)
            || !TryScopes(body, out var scopes, out problem))
        {
            return false;
        }
        if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(group))
        {
            problem = ApiProblem.BadRequest("Expected exactly one of `user` or `group`, not both.");
            return false;
        }
        if (user is null && group is null)
        {
            problem = ApiProblem.BadRequest("Specify exactly one of `user` or `group`.");
            return false;
        }
        request = new ShareRequest(user, group, scopes);
        return true;
    }

    /// <summary>Optional <c>scopes</c> of a share or share code: a list of strings, <c>null</c> when absent.</summary>
    internal static bool TryScopes(JsonElement? body, out IReadOnlyList<string>? scopes, out IResult? problem)
    {
        scopes = null;
        problem = null;
        if (RequestFields.Field(body, "scopes") is not { } value)
        {
            return true;
        }
        if (!RequestFields.TryStrings(value, int.MaxValue, out var strings))
        {
            problem = ApiProblem.BadRequest("scopes must be a list of strings.");
            return false;
        }
        scopes = strings;
        return true;
    }

    private static bool TryString(JsonElement? body, string name, out string? value, out IResult? problem)
    {
        value = null;
        problem = null;
        if (RequestFields.Field(body, name) is not { } element)
        {
            return true;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            problem = ApiProblem.BadRequest($"{name} must be a string.");
            return false;
        }
        value = element.GetString();
        return true;
    }
}
