using System.Globalization;
using System.Text.Json;
using Hub.Core.Security;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>POST /users/{name}/activity</c>: <c>last_activity</c> and/or <c>servers.{name}.last_activity</c>,
/// ISO 8601 timestamps no more than <see cref="MaxFutureSkew"/> ahead of now. Whether the servers exist is the
/// handler's question.
/// </summary>
public sealed record ActivityRequest(DateTimeOffset? LastActivity, IReadOnlyDictionary<string, DateTimeOffset> Servers)
{
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(59);

    public static bool TryRead(JsonElement? body, DateTimeOffset now, out ActivityRequest request, out IResult? problem)
    {
        request = new ActivityRequest(null, new Dictionary<string, DateTimeOffset>());
        problem = null;
        if (body is null)
        {
            problem = ApiProblem.BadRequest("The body must be an object with last_activity and/or servers.");
            return false;
        }
        DateTimeOffset? userActivity = null;
        if (RequestFields.Present(body, "last_activity") is { } value)
        {
            if (!TryTime(value, now, out var parsed, out string why))
            {
                problem = ApiProblem.BadRequest("last_activity " + why);
                return false;
            }
            userActivity = parsed;
        }
        var serverActivity = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (RequestFields.Present(body, "servers") is { } servers)
        {
            if (servers.ValueKind != JsonValueKind.Object)
            {
                problem = ApiProblem.BadRequest("servers must be an object of server names.");
                return false;
            }
            foreach (var server in servers.EnumerateObject())
            {
                if (server.Value.ValueKind != JsonValueKind.Object || RequestFields.Present(server.Value, "last_activity") is not { } serverValue)
                {
                    problem = ApiProblem.BadRequest($"servers.{LogText.Cap(server.Name)} must be an object with last_activity.");
                    return false;
                }
                if (!TryTime(serverValue, now, out var parsed, out string why))
                {
                    problem = ApiProblem.BadRequest($"servers.{LogText.Cap(server.Name)}.last_activity " + why);
                    return false;
                }
                serverActivity[server.Name] = parsed;
            }
        }
        if (userActivity is null && serverActivity.Count == 0)
        {
            problem = ApiProblem.BadRequest("The body must hold last_activity and/or servers.");
            return false;
        }
        request = new ActivityRequest(userActivity, serverActivity);
        return true;
    }

    private static bool TryTime(JsonElement value, DateTimeOffset now, out DateTimeOffset parsed, out string why)
    {
        parsed = default;
        if (value.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out parsed))
        {
            why = "must be an ISO 8601 timestamp.";
            return false;
        }
        if (parsed > now + MaxFutureSkew)
        {
            why = "is too far in the future.";
            return false;
        }
        why = "";
        return true;
    }
}
