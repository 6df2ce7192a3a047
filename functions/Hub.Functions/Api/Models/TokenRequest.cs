using System.Text.Json;
using Hub.Core.Auth;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>POST /users/{name}/tokens</c>, every field optional: <c>note</c>, <c>expires_in</c> (seconds; 0 or
/// absent: no expiry of its own), <c>scopes</c> and <c>roles</c>. Read by hand so that each bad field gets a 400 that
/// names it; whether the scopes may be granted is the handler's question.
/// </summary>
public sealed record TokenRequest(string? Note, TimeSpan? ExpiresIn, IReadOnlyList<string> Scopes, IReadOnlyList<string> Roles) : IRequestBody<TokenRequest>
{
    public const int MaxNoteLength = 1000;
    public const int MaxScopes = 100;

    public static bool TryRead(JsonElement? body, out TokenRequest request, out IResult? problem)
    {
        request = new TokenRequest(null, null, [], []);
        problem = null;
        if (body is not { } json)
        {
            return true;
        }
        string? note = null;
        if (RequestFields.Field(json, "note") is { } noteValue)
        {
            if (noteValue.ValueKind != JsonValueKind.String || noteValue.GetString()!.Length > MaxNoteLength)
            {
                problem = ApiProblem.BadRequest($"note must be a string of at most {MaxNoteLength} characters.");
                return false;
            }
            note = noteValue.GetString();
        }
        TimeSpan? lifetime = null;
        if (RequestFields.Field(json, "expires_in") is { } expiresValue)
        {
            if (expiresValue.ValueKind != JsonValueKind.Number || !expiresValue.TryGetDouble(out double seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                problem = ApiProblem.BadRequest("expires_in must be a number of seconds (0 or absent: no expiry).");
                return false;
            }
            lifetime = seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
        }
        List<string> scopes = [];
        if (RequestFields.Field(json, "scopes") is { } scopesValue)
        {
            if (!RequestFields.TryStrings(scopesValue, MaxScopes, out scopes))
            {
                problem = ApiProblem.BadRequest($"scopes must be a list of at most {MaxScopes} strings.");
                return false;
            }
            foreach (var scope in scopes)
            {
                if (scope != ScopeCatalog.Inherit && !Scope.TryParse(scope, out _, out string why))
                {
                    problem = ApiProblem.BadRequest(why);
                    return false;
                }
            }
        }
        List<string> roles = [];
        if (RequestFields.Field(json, "roles") is { } rolesValue && !RequestFields.TryStrings(rolesValue, MaxScopes, out roles))
        {
            problem = ApiProblem.BadRequest("roles must be a list of role names.");
            return false;
        }
        request = new TokenRequest(note, lifetime, scopes, roles);
        return true;
    }
}
