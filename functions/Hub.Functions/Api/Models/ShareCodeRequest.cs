using System.Text.Json;
using Hub.Core.Sharing;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>POST /share-codes/{owner}/{server}</c>, which may be absent: optional <c>scopes</c> and
/// <c>expires_in</c> (whole seconds, a minute to a year; <see cref="ShareGrants.DefaultCodeLifetime"/> when absent);
/// other fields are refused. Whether the scopes may be shared is the handler's question.
/// </summary>
public sealed record ShareCodeRequest(IReadOnlyList<string>? Scopes, TimeSpan ExpiresIn) : IRequestBody<ShareCodeRequest>
{
    public static bool TryRead(JsonElement? body, out ShareCodeRequest request, out IResult? problem)
    {
        request = new ShareCodeRequest(null, ShareGrants.DefaultCodeLifetime);
        if (!RequestFields.TryOnly(body, ["scopes", "expires_in"], out problem) || !ShareRequest.TryScopes(body, out var scopes, out problem))
        {
            return false;
        }
        var lifetime = ShareGrants.DefaultCodeLifetime;
        if (RequestFields.Field(body, "expires_in") is { } expires)
        {
            double min = ShareGrants.MinCodeLifetime.TotalSeconds, max = ShareGrants.MaxCodeLifetime.TotalSeconds;
            if (expires.ValueKind != JsonValueKind.Number || !expires.TryGetDouble(out double seconds) || seconds != Math.Floor(seconds) || seconds < min || seconds > max)
            {
                problem = ApiProblem.BadRequest($"expires_in must be a whole number of seconds from {min} (a minute) to {max} (a year).");
                return false;
            }
            lifetime = TimeSpan.FromSeconds(seconds);
        }
        request = new ShareCodeRequest(scopes, lifetime);
        return true;
    }
}
